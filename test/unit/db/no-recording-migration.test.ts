import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, schemaVersion } from '../../../main/core/db/migrate.ts';
import { MIGRATIONS } from '../../../main/core/db/migrations/index.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';
import { tempDir } from '../../support/tmp.ts';

// Migration 010 widens the recordings CHECKs in place: the new state and remote status are
// accepted, everything else still refused, and no row that referenced a recording is lost.

const NOW = '2024-01-01T00:00:00.000Z';
let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

const insert = (d: Db, remoteId: string, state: string, remote: string) =>
  d
    .prepare(
      `INSERT INTO recordings (account_id, provider, remote_id, channel, provider_status,
         remote_status, state, discovered_at, updated_at)
       VALUES (1, 'envoy', ?, 'mixed', 'x', ?, ?, ?, ?)`,
    )
    .run(remoteId, remote, state, NOW, NOW);

describe('migration 010 (no recording)', () => {
  it('accepts no_recording / none after the step, keeps job items and search, refuses others', () => {
    const file = path.join(tempDir(), 'index.db');
    db = new Database(file);
    db.pragma('foreign_keys = ON');
    applyMigrations(db, MIGRATIONS.slice(0, 9));
    db.prepare(
      `INSERT INTO accounts (name, provider, created_at, updated_at) VALUES ('a', 'envoy', ?, ?)`,
    ).run(NOW, NOW);
    insert(db, 'call_kept', 'failed', 'failed');
    db.prepare(`INSERT INTO jobs (kind, created_at) VALUES ('sync', ?)`).run(NOW);
    db.prepare(`INSERT INTO job_items (job_id, recording_id, updated_at) VALUES (1, 1, ?)`).run(
      NOW,
    );
    expect(() => insert(db!, 'call_early', 'no_recording', 'none')).toThrow(/CHECK/);

    applyMigrations(db, MIGRATIONS.slice(0, 10));
    expect(schemaVersion(db)).toBe(10);
    insert(db, 'call_none', 'no_recording', 'none');
    expect(() => insert(db!, 'call_bad', 'bogus', 'none')).toThrow(/CHECK/);
    expect(() => insert(db!, 'call_bad2', 'failed', 'bogus')).toThrow(/CHECK/);
    expect(db.prepare('SELECT count(*) AS n FROM job_items').get()).toEqual({ n: 1 });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const found = db
      .prepare(`SELECT rowid FROM recordings_fts WHERE recordings_fts MATCH 'call_none'`)
      .all();
    expect(found).toEqual([{ rowid: 2 }]);
    // The old state words all still pass, and the step was not left in unsafe mode.
    insert(db, 'call_skipped', 'skipped', 'gone');
    expect(() => db!.prepare(`UPDATE sqlite_schema SET sql = sql`).run()).toThrow();
    db.close();

    // A new connection reads the widened table from the file.
    db = new Database(file);
    insert(db, 'call_again', 'no_recording', 'none');
    expect(fs.existsSync(file)).toBe(true);
    expect(
      (
        db.prepare(`SELECT count(*) AS n FROM recordings WHERE state = 'no_recording'`).get() as {
          n: number;
        }
      ).n,
    ).toBe(2);
  });
});
