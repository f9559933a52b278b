import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../../main/core/db/migrate.ts';
import { MIGRATIONS } from '../../../main/core/db/migrations/index.ts';
import { vaultMigration } from '../../../main/core/db/migrations/012-vault.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';

// Migration 012 (the team vault's target and upload queue), applied through MIGRATIONS.

let db: Db;
afterEach(() => db?.close());

function migrated(): Db {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  applyMigrations(db, MIGRATIONS);
  expect(MIGRATIONS).toContain(vaultMigration);
  return db;
}

const TARGET = `INSERT INTO vault_target (id, kind, endpoint, bucket, region, prefix, access_key_ref,
  secret_key_ref, mode, retain_days, added_at) VALUES (?, 's3', 'http://127.0.0.1:1', 'b',
  'us-east-1', '', 'env:A', 'env:B', ?, ?, '2026-01-01')`;
const ITEM = `INSERT INTO vault_items (item, kind, local_path, object_key, sha256, size, state,
  retain_until, updated_at) VALUES (?, 'media', 'a.wav', ?, 'x', 1, ?, ?, '2026-01-01')`;

describe('migration 012: the vault', () => {
  it('keeps one target per data directory, with a lock mode and at least a day', () => {
    migrated();
    db.prepare(TARGET).run(1, 'compliance', 30);
    expect(() => db.prepare(TARGET).run(2, 'compliance', 30)).toThrow(/CHECK/);
    expect(() => db.prepare(TARGET).run(1, 'compliance', 30)).toThrow(/UNIQUE|PRIMARY/);
    db.prepare('DELETE FROM vault_target').run();
    expect(() => db.prepare(TARGET).run(1, 'none', 30)).toThrow(/CHECK/);
    expect(() => db.prepare(TARGET).run(1, 'governance', 0)).toThrow(/CHECK/);
  });

  it('never holds a vaulted row without its retain-until, nor two rows for one object', () => {
    migrated();
    expect(() => db.prepare(ITEM).run('media:1', 'k1', 'vaulted', null)).toThrow(/CHECK/);
    db.prepare(ITEM).run('media:1', 'k1', 'vaulted', '2027-01-01');
    db.prepare(ITEM).run('media:2', 'k2', 'queued', null);
    expect(() => db.prepare(ITEM).run('media:3', 'k1', 'queued', null)).toThrow(/UNIQUE/);
    expect(() => db.prepare(ITEM).run('media:4', 'k4', 'done', null)).toThrow(/CHECK/);
  });
});
