import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../../main/core/audit/actions.ts';
import { appendAudit } from '../../../main/core/audit/append-audit.ts';
import { auditEntryHash, GENESIS_HASH } from '../../../main/core/audit/audit-hash.ts';
import { listAudit } from '../../../main/core/audit/read-audit.ts';
import { verifyAudit } from '../../../main/core/audit/verify-audit.ts';
import { markArchived, upsertDiscovered } from '../../../main/core/db/recordings.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';
import {
  kallglotAccount,
  kallglotRecording,
  SHA,
  tempIndex,
} from '../../support/index-fixtures.ts';

let db: Db;
let cleanup: () => void;
beforeEach(() => ({ db, cleanup } = tempIndex()));
afterEach(() => cleanup());

function writeEntries(count: number): void {
  for (let i = 1; i <= count; i += 1) {
    appendAudit(
      db,
      {
        actor: 'system',
        action: 'recording.archived',
        subject: `recording:${i}`,
        details: { sha256: SHA, bytes: i * 100, path: `a/${i}.mp3` },
      },
      { now: new Date(Date.UTC(2024, 2, 1, 0, 0, i)) },
    );
  }
}

/** What an attacker with the file does first: remove the append-only guard. */
function dropProtection(): void {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
}

describe('appendAudit', () => {
  it('chains entries from the genesis hash and moves the head', () => {
    const first = appendAudit(db, { actor: 'user', action: 'account.added', subject: 'account:1' });
    const second = appendAudit(db, {
      actor: 'user',
      action: 'sync.started',
      details: { z: 1, a: { y: 2, b: 3 } },
    });
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, subject: 'account:1' });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(second.hash).toBe(
      auditEntryHash({
        seq: 2,
        at: second.at,
        actor: 'user',
        action: 'sync.started',
        subject: null,
        details: { a: { b: 3, y: 2 }, z: 1 },
        prevHash: first.hash,
      }),
    );
    expect(db.prepare('SELECT seq, hash FROM audit_head').get()).toEqual({
      seq: 2,
      hash: second.hash,
    });
    expect(listAudit(db).map((e) => e.seq)).toEqual([2, 1]);
    expect(listAudit(db, { action: 'account.added' })[0]?.subject).toBe('account:1');
    expect(AUDIT_ACTIONS).toContain('recording.archived');
  });

  it('commits or rolls back together with the caller’s index change', () => {
    const account = kallglotAccount(db);
    const { recording } = upsertDiscovered(db, account, kallglotRecording());
    const archive = db.transaction((fail: boolean) => {
      markArchived(db, recording.id, {
        localPath: 'a.mp3',
        localSize: 1,
        sha256: SHA,
        archivedAt: new Date(),
      });
      appendAudit(db, {
        actor: 'system',
        action: 'recording.archived',
        subject: `recording:${recording.id}`,
      });
      if (fail) throw new Error('disk full');
    });
    expect(() => archive(true)).toThrow('disk full');
    expect(listAudit(db)).toEqual([]);
    expect(db.prepare('SELECT state FROM recordings').get()).toEqual({ state: 'discovered' });
    archive(false);
    expect(listAudit(db)).toHaveLength(1);
    expect(verifyAudit(db).ok).toBe(true);
  });

  it('is append-only while the triggers stand', () => {
    writeEntries(2);
    expect(() => db.prepare(`UPDATE audit_log SET actor = 'x'`).run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
  });
});

describe('verifyAudit', () => {
  it('passes an untouched log and an empty one', () => {
    expect(verifyAudit(db)).toEqual({
      ok: true,
      checked: 0,
      lastSeq: 0,
      lastHash: GENESIS_HASH,
      problems: [],
    });
    writeEntries(50);
    const result = verifyAudit(db);
    expect(result).toMatchObject({ ok: true, checked: 50, lastSeq: 50, problems: [] });
  });

  it('detects an edited row', () => {
    writeEntries(5);
    dropProtection();
    db.prepare(`UPDATE audit_log SET details_json = '{"bytes":1}' WHERE seq = 3`).run();
    const result = verifyAudit(db);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'edited', seq: 3 })]),
    );
    expect(result.problems.some((p) => p.kind === 'unprotected')).toBe(true);
  });

  it('detects an edited row whose hash was recomputed, by the broken link after it', () => {
    writeEntries(5);
    dropProtection();
    const row = db.prepare('SELECT * FROM audit_log WHERE seq = 3').get() as {
      at: string;
      prev_hash: string;
    };
    const forged = auditEntryHash({
      seq: 3,
      at: row.at,
      actor: 'user',
      action: 'recording.archived',
      subject: 'recording:3',
      details: {},
      prevHash: row.prev_hash,
    });
    db.prepare(
      `UPDATE audit_log SET actor = 'user', details_json = '{}', hash = ? WHERE seq = 3`,
    ).run(forged);
    const kinds = verifyAudit(db).problems.map((p) => [p.kind, p.seq]);
    expect(kinds).toContainEqual(['broken_link', 4]);
    expect(kinds).not.toContainEqual(['edited', 3]);
  });

  it('detects a deleted row in the middle', () => {
    writeEntries(5);
    dropProtection();
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    const result = verifyAudit(db);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ kind: 'missing', seq: 2, count: 1 }),
    );
    expect(result.problems.filter((p) => p.kind !== 'unprotected')).toHaveLength(1);
  });

  it('detects deleted newest rows through the head record', () => {
    writeEntries(5);
    dropProtection();
    db.prepare('DELETE FROM audit_log WHERE seq >= 4').run();
    const result = verifyAudit(db);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ kind: 'missing', seq: 4, count: 2 }),
    );
    // Appending afterwards does not paper over the gap.
    appendAudit(db, { actor: 'system', action: 'verify.run' });
    expect(verifyAudit(db).problems).toContainEqual(
      expect.objectContaining({ kind: 'missing', seq: 4, count: 2 }),
    );
  });

  it('detects a replaced newest row and rows inserted behind the writer’s back', () => {
    writeEntries(3);
    dropProtection();
    const row = db.prepare('SELECT * FROM audit_log WHERE seq = 3').get() as Record<string, string>;
    const entry = {
      seq: 3,
      at: row.at!,
      actor: 'user',
      action: 'noop',
      subject: null,
      details: {},
      prevHash: row.prev_hash!,
    };
    db.prepare(
      `UPDATE audit_log SET actor = 'user', action = 'noop', subject = NULL,
      details_json = '{}', hash = ? WHERE seq = 3`,
    ).run(auditEntryHash(entry));
    expect(verifyAudit(db).problems).toContainEqual(
      expect.objectContaining({ kind: 'head_mismatch', seq: 3 }),
    );
  });

  it('reports an unreadable details column as an edit', () => {
    writeEntries(2);
    dropProtection();
    db.prepare(`UPDATE audit_log SET details_json = 'not json' WHERE seq = 1`).run();
    expect(verifyAudit(db).problems).toContainEqual(
      expect.objectContaining({ kind: 'edited', seq: 1 }),
    );
  });
});
