// Two connections on one index (the app and a `recvault sync`): a transaction that reads and
// then writes must not fail because the other committed in between, and the audit check must
// not read an append made meanwhile as deleted entries.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../../../main/core/audit/append-audit.ts';
import { verifyAudit } from '../../../main/core/audit/verify-audit.ts';
import { readAuditHead } from '../../../main/core/db/audit-log.ts';
import { openDatabase } from '../../../main/core/db/open-database.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';
import { inTransaction } from '../../../main/core/db/transaction.ts';
import { repoRoot } from '../../support/built.ts';
import { tempIndex } from '../../support/index-fixtures.ts';

let app: Db;
let cli: Db;
let cleanup: () => void;
beforeEach(() => {
  const index = tempIndex();
  app = index.db;
  // No waiting: the other process's lock shows at once as SQLITE_BUSY instead of a 5 s stall.
  cli = openDatabase(index.path, { busyTimeoutMs: 0 });
  cleanup = () => {
    cli.close();
    index.cleanup();
  };
});
afterEach(() => cleanup());

function note(db: Db, subject: string): void {
  appendAudit(db, { actor: 'system', action: 'recording.archived', subject, details: {} });
}

describe('write transactions', () => {
  it('a read-then-write never fails with SQLITE_BUSY_SNAPSHOT when another process commits between', () => {
    let otherWrite: unknown = null;
    inTransaction(app, () => {
      const before = readAuditHead(app)!.seq; // The read that starts a deferred snapshot.
      try {
        note(cli, 'by-cli'); // The other process, between our read and our write.
      } catch (error) {
        otherWrite = error; // It waits its turn (here: refused at once, busy_timeout 0).
      }
      note(app, `by-app-after-${before}`);
    });
    expect((otherWrite as { code?: string } | null)?.code).toBe('SQLITE_BUSY');
    note(cli, 'by-cli'); // Its retry, once the lock is free.
    const subjects = app.prepare('SELECT subject FROM audit_log ORDER BY seq').pluck().all();
    expect(subjects.slice(-2)).toEqual(['by-app-after-0', 'by-cli']);
    expect(verifyAudit(app).ok).toBe(true);
  });

  it('no code opens a transaction but db/transaction.ts (and the IMMEDIATE migrations)', () => {
    const root = path.join(repoRoot, 'main');
    const offenders = fs
      .readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .filter((file) => !['core/db/transaction.ts', 'core/db/migrate.ts'].includes(file))
      .filter((file) =>
        /\.transaction\(|\bBEGIN\s+(DEFERRED\b|TRANSACTION\b|;|['"`])/.test(
          fs.readFileSync(path.join(root, file), 'utf8'),
        ),
      );
    expect(offenders).toEqual([]);
  });
});

describe('verifyAudit', () => {
  it('an entry appended while it reads is not reported as deleted', () => {
    note(app, 'first');
    note(app, 'second');
    // The other process appends just before the head is read (after the rows were).
    const appendsBeforeHead = new Proxy(app, {
      get(target, key) {
        if (key === 'prepare') {
          return (sql: string) => {
            if (/FROM audit_head/.test(sql)) note(cli, 'meanwhile');
            return target.prepare(sql);
          };
        }
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const report = verifyAudit(appendsBeforeHead);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(verifyAudit(app).checked).toBe(report.checked + 1);
  });
});
