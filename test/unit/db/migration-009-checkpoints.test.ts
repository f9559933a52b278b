import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, schemaVersion } from '../../../main/core/db/migrate.ts';
import { MIGRATIONS } from '../../../main/core/db/migrations/index.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';

// Migration 009 (issue 12): the schema just before it, then that step, then what it added.

let db: Db;
afterEach(() => db?.close());

describe('migration 009: checkpoints', () => {
  it('adds the checkpoints table, its timestamp states and the pending index', () => {
    db = new Database(':memory:');
    applyMigrations(db, MIGRATIONS.slice(0, 8));
    expect(schemaVersion(db)).toBe(8);
    applyMigrations(db, MIGRATIONS.slice(0, 9));
    expect(schemaVersion(db)).toBe(9);
    expect(MIGRATIONS[8]!.name).toBe('checkpoints');

    const columns = (
      db.prepare('SELECT name FROM pragma_table_xinfo(?)').all('checkpoints') as {
        name: string;
      }[]
    ).map((c) => c.name);
    expect(columns).toEqual([
      'seq',
      'created_at',
      'reason',
      'audit_seq',
      'audit_hash',
      'merkle_root',
      'file_count',
      'key_fingerprint',
      'public_key_pem',
      'body',
      'signature',
      'entry_hashes',
      'file_name',
      'tsa_state',
      'tsa_url',
      'tsr',
      'tsa_error',
    ]);
    const indexes = (
      db.prepare('SELECT name FROM pragma_index_list(?)').all('checkpoints') as {
        name: string;
      }[]
    ).map((i) => i.name);
    expect(indexes).toContain('checkpoints_tsa_pending');

    const insert = (state: string) =>
      db
        .prepare(
          `INSERT INTO checkpoints (created_at, reason, audit_seq, audit_hash, merkle_root,
             file_count, key_fingerprint, public_key_pem, body, signature, entry_hashes,
             file_name, tsa_state) VALUES ('t', 'sync', 0, 'h', 'r', 0, 'f', 'p', x'00', x'00', '', 'n', ?)`,
        )
        .run(state);
    insert('pending');
    expect(() => insert('lost')).toThrow(/CHECK constraint/);
    expect(db.prepare('SELECT tsa_state FROM checkpoints').all()).toEqual([
      { tsa_state: 'pending' },
    ]);
  });
});
