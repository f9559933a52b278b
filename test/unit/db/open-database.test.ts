import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseTooNewError } from '../../../main/core/db/errors.ts';
import { MIGRATIONS } from '../../../main/core/db/migrations/index.ts';
import { openDatabase } from '../../../main/core/db/open-database.ts';
import { tempIndex } from '../../support/index-fixtures.ts';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('openDatabase', () => {
  it('turns on WAL, foreign keys, NORMAL sync and a busy timeout, and migrates fully', () => {
    const index = tempIndex();
    cleanup = index.cleanup;
    const { db } = index;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('reopens an up-to-date index without changing it', () => {
    const index = tempIndex();
    cleanup = index.cleanup;
    index.db.close();
    const again = openDatabase(index.path);
    expect(again.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    again.close();
  });

  it('refuses an index written by a newer Recvault with a clear, typed error', () => {
    const index = tempIndex();
    cleanup = index.cleanup;
    index.db.close();
    const raw = new Database(index.path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 3}`);
    raw.close();

    let caught: unknown;
    try {
      openDatabase(index.path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DatabaseTooNewError);
    expect((caught as DatabaseTooNewError).found).toBe(MIGRATIONS.length + 3);
    expect((caught as Error).message).toBe(
      `This archive's index was written by a newer Recvault (schema ${MIGRATIONS.length + 3}, this app knows ${MIGRATIONS.length}). Update Recvault.`,
    );
    // The handle was closed: the file can be reopened and changed by someone else.
    const raw2 = new Database(index.path);
    raw2.pragma('user_version = 0');
    raw2.close();
  });

  it('applies pending migrations to an index from an older version', () => {
    const index = tempIndex();
    cleanup = index.cleanup;
    index.db.close();
    const older = openDatabase(`${index.path}.old`, { migrations: MIGRATIONS.slice(0, 2) });
    expect(older.pragma('user_version', { simple: true })).toBe(2);
    older.close();
    const upgraded = openDatabase(`${index.path}.old`);
    expect(upgraded.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    upgraded.close();
  });
});
