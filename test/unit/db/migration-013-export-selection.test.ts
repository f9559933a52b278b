import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../../main/core/db/migrate.ts';
import { MIGRATIONS } from '../../../main/core/db/migrations/index.ts';
import { exportSelectionMigration } from '../../../main/core/db/migrations/013-export-selection.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';
import { createExport, getExport } from '../../../main/core/db/exports.ts';

// Migration 013: an export keeps the recordings it took and its destination's kind (for a retry).

let db: Db;
afterEach(() => db?.close());

const OLD_ROW = `INSERT INTO exports (created_at, destination, options_json) VALUES ('2026-01-01', '/x', '{}')`;

describe('migration 013: export selection', () => {
  it('keeps an older export readable (no ids, no kind) and stores a new one’s ids and kind', () => {
    db = new Database(':memory:');
    const before = MIGRATIONS.filter((m) => m.version < exportSelectionMigration.version);
    applyMigrations(db, before);
    db.prepare(OLD_ROW).run();
    applyMigrations(db, MIGRATIONS);
    expect(MIGRATIONS).toContain(exportSelectionMigration);
    expect(getExport(db, 1)).toMatchObject({ recordingIds: [], destinationKind: null });
    const made = createExport(db, {
      destination: '/y.zip',
      options: {},
      recordingIds: [3, 1, 2],
      destinationKind: 'zip',
    });
    expect(getExport(db, made.id)).toMatchObject({
      recordingIds: [3, 1, 2],
      destinationKind: 'zip',
    });
  });

  it('refuses ids that are not a JSON array and a kind that is neither folder nor zip', () => {
    db = new Database(':memory:');
    applyMigrations(db, MIGRATIONS);
    const insert = `INSERT INTO exports (created_at, destination, recording_ids_json, destination_kind)
      VALUES ('2026-01-01', '/x', ?, ?)`;
    expect(() => db.prepare(insert).run('{"a":1}', 'folder')).toThrow(/CHECK/);
    expect(() => db.prepare(insert).run('[1]', 'tape')).toThrow(/CHECK/);
    expect(() => db.prepare(insert).run('[1]', 'folder')).not.toThrow();
  });
});
