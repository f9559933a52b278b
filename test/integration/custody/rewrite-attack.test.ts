import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEntryHash, GENESIS_HASH } from '../../../main/core/audit/audit-hash.ts';
import { canonicalJson, type JsonObject } from '../../../main/core/audit/canonical-json.ts';
import { verifyAudit } from '../../../main/core/audit/verify-audit.ts';
import { keyFileSource } from '../../../main/core/custody/signing-key.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';
import type { Engine } from '../../../main/core/engine.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { openTestEngine } from '../../support/engine.ts';
import { request } from '../../support/handlers.ts';
import { tempDir } from '../../support/tmp.ts';
import { recvaultIn } from './cli-run.ts';

// The attack from issue 12: whoever can write index.sqlite drops the append-only triggers,
// edits an entry, recomputes that entry's hash and every later one with the project's own
// auditEntryHash, moves the head, and restores the triggers. The chain alone is then intact;
// the signed checkpoints are not fooled, and name the first entry that changed.

let engine: Engine | null = null;
let fake: FakeKallglot | null = null;
afterEach(async () => {
  await engine?.close();
  await fake?.close();
  engine = null;
  fake = null;
});

interface Row {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details_json: string;
  prev_hash: string;
}

/** The rewrite, entry `target` onwards, exactly as an attacker with the database would do it. */
function rewriteFrom(db: Db, target: number, edit: (details: JsonObject) => void): void {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Row[];
  let prevHash =
    target === 1
      ? GENESIS_HASH
      : (db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(target - 1) as { hash: string })
          .hash;
  const update = db.prepare(
    'UPDATE audit_log SET details_json = ?, prev_hash = ?, hash = ? WHERE seq = ?',
  );
  for (const row of rows.filter((r) => r.seq >= target)) {
    const details = JSON.parse(row.details_json) as JsonObject;
    if (row.seq === target) edit(details);
    const hash = auditEntryHash({
      seq: row.seq,
      at: row.at,
      actor: row.actor,
      action: row.action,
      subject: row.subject,
      details,
      prevHash,
    });
    update.run(canonicalJson(details), prevHash, hash, row.seq);
    prevHash = hash;
  }
  db.prepare('UPDATE audit_head SET hash = ? WHERE id = 1').run(prevHash);
  db.exec(`
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
      SELECT RAISE(ABORT, 'audit_log is append-only');
    END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
      SELECT RAISE(ABORT, 'audit_log is append-only');
    END;`);
}

async function archivedWithKey() {
  const keyFile = path.join(tempDir('recvault-keys-'), 'signing-key.pem');
  keyFileSource(keyFile).create();
  fake = await startFakeKallglot({ sessions: [dualChannelSession('sess-1')] });
  engine = await openTestEngine(
    { KALLGLOT_KEY: fake.apiKey },
    { signingKey: keyFileSource(keyFile) },
  );
  const account = engine.accounts.add(
    'kallglot',
    { name: 'Archive', baseUrl: fake.baseUrl },
    { secretEnv: 'KALLGLOT_KEY' },
  );
  const job = engine.jobs.start(account.id, {
    sessions: [{ id: 'sess-1' }],
    recordingIds: [],
    callIds: [],
  });
  await engine.jobs.wait(job.id);
  return { engine, keyFile, checkpointsDir: path.join(engine.paths.dataDir, 'checkpoints') };
}

const checkpointFiles = (dir: string) =>
  fs.readdirSync(dir).filter((f) => /^\d{6}-.*\.json$/.test(f));

describe('audit verify against signed checkpoints', () => {
  it('signs a checkpoint after a sync, and a clean log with its checkpoints verifies', async () => {
    const { engine, checkpointsDir } = await archivedWithKey();
    const [first] = checkpointFiles(checkpointsDir);
    const checkpoint = JSON.parse(fs.readFileSync(path.join(checkpointsDir, first!), 'utf8'));
    expect(checkpoint).toMatchObject({ seq: 1, reason: 'sync', archive: { fileCount: 3 } });
    const report = await request(engine, 'verifyAudit', {});
    expect(report).toMatchObject({ ok: true, checkpoints: 1, problems: [] });
    // The verification made a checkpoint of its own.
    expect(checkpointFiles(checkpointsDir)).toHaveLength(2);

    // Each entry links to the first checkpoint that covers it; the newest to none yet.
    expect(await request(engine, 'checkpointCovering', { auditSeq: 1 })).toMatchObject({ seq: 1 });
    const verified = checkpoint.audit.headSeq + 1;
    expect(await request(engine, 'checkpointCovering', { auditSeq: verified })).toMatchObject({
      seq: 2,
      reason: 'verify',
    });
    expect(await request(engine, 'checkpointCovering', { auditSeq: verified + 1 })).toBeNull();
  });

  it('reports the full rewrite with the first seq that no longer matches', async () => {
    const { engine, keyFile, checkpointsDir } = await archivedWithKey();
    await request(engine, 'checkpointCreate', {});
    const archived = engine.db
      .prepare("SELECT seq FROM audit_log WHERE action = 'recording.archived' ORDER BY seq")
      .all() as { seq: number }[];
    const target = archived[1]!.seq;
    rewriteFrom(engine.db, target, (details) => {
      details.sha256 = 'f'.repeat(64);
    });

    // The chain on its own is fooled: that is the attack.
    expect(verifyAudit(engine.db)).toMatchObject({ ok: true, problems: [] });

    const before = checkpointFiles(checkpointsDir).length;
    const report = await request(engine, 'verifyAudit', {});
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ kind: 'checkpoint_mismatch', seq: target });
    // A tampered log is never signed over.
    expect(checkpointFiles(checkpointsDir)).toHaveLength(before);
    const dataDir = engine.paths.dataDir;
    await engine.close();

    const cli = await recvaultIn(dataDir, ['audit', 'verify'], {
      HOME: path.dirname(dataDir),
      RECVAULT_KEY_FILE: keyFile,
    });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`checkpoint_mismatch ${target}: Entry ${target} is not the entry`);
    expect(cli.stdout).toContain('The audit log has been tampered with');
  });

  it('refuses checkpoints re-signed with another key in the index', async () => {
    const { engine } = await archivedWithKey();
    const target = 2;
    rewriteFrom(engine.db, target, (details) => {
      details.forged = true;
    });
    // The attacker re-signs checkpoint 1 with a key of their own and stores it beside it.
    const forger = keyFileSource(path.join(tempDir('recvault-forger-'), 'k.pem')).create();
    const { sign } = await import('node:crypto');
    const row = engine.db.prepare('SELECT body FROM checkpoints WHERE seq = 1').get() as {
      body: Buffer;
    };
    const body = JSON.parse(row.body.toString('utf8'));
    body.keyFingerprint = forger.fingerprint;
    body.audit.headHash = (
      engine.db.prepare('SELECT hash FROM audit_head').get() as { hash: string }
    ).hash;
    const forged = Buffer.from(canonicalJson(body));
    engine.db
      .prepare('UPDATE checkpoints SET body = ?, signature = ?, public_key_pem = ? WHERE seq = 1')
      .run(forged, sign(null, forged, forger.privateKey), forger.publicKeyPem);
    const report = await request(engine, 'verifyAudit', {});
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toContain('checkpoint_signature');
    expect(report.problems.find((p) => p.kind === 'checkpoint_signature')?.message).toMatch(
      /not the key given/,
    );
  });

  it('reports checkpoints deleted from the index whose files remain', async () => {
    const { engine } = await archivedWithKey();
    await request(engine, 'checkpointCreate', {});
    engine.db.prepare('DELETE FROM checkpoints').run();
    const report = await request(engine, 'verifyAudit', {});
    expect(report.ok).toBe(false);
    expect(report.problems.filter((p) => p.kind === 'checkpoint_missing')).toHaveLength(2);
    expect(report.problems[0]?.message).toMatch(
      /^Checkpoint file 000001-.*\.json has no checkpoint/,
    );
  });
});
