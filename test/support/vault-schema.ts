import Database from 'better-sqlite3';
import path from 'node:path';
import { vaultMigration } from '../../main/core/db/migrations/014-vault.ts';

/**
 * STOPGAP until migrations 012 and 013 land and 014 can be registered after them (numbers are
 * contiguous): applies migration 014's tables to a data directory's index when the registered
 * migrations did not. A no-op once 014 is in MIGRATIONS.
 */
export function ensureVaultSchema(dataDir: string): void {
  const db = new Database(path.join(dataDir, 'index.sqlite'));
  try {
    const has = db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'vault_target'`)
      .get();
    if (!has) db.transaction(() => vaultMigration.up(db))();
  } finally {
    db.close();
  }
}
