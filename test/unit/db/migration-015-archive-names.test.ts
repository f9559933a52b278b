import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  archiveNamesScheme,
  LEGACY_NAMES,
  READABLE_NAMES,
  setArchiveNamesScheme,
} from '../../../main/core/db/archive-names.ts';
import { applyMigrations } from '../../../main/core/db/migrate.ts';
import { MIGRATIONS } from '../../../main/core/db/migrations/index.ts';
import { archiveNamesMigration } from '../../../main/core/db/migrations/015-archive-names.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';

// Migration 015: the index says which file naming its archive follows, starting at the old one
// (so an existing archive is renamed on the next opening).

let db: Db;
afterEach(() => db?.close());

describe('migration 015: archive names', () => {
  it('starts an existing index at the old names, and keeps one row that only says 1 or 2', () => {
    db = new Database(':memory:');
    applyMigrations(
      db,
      MIGRATIONS.filter((m) => m.version < archiveNamesMigration.version),
    );
    applyMigrations(db, MIGRATIONS);
    expect(MIGRATIONS).toContain(archiveNamesMigration);
    expect(archiveNamesScheme(db)).toBe(LEGACY_NAMES);
    setArchiveNamesScheme(db, READABLE_NAMES);
    expect(archiveNamesScheme(db)).toBe(READABLE_NAMES);
    expect(() => db.prepare('UPDATE archive_names SET scheme = 3').run()).toThrow(/CHECK/);
    expect(() => db.prepare('INSERT INTO archive_names VALUES (2, 1)').run()).toThrow(/CHECK/);
  });
});
