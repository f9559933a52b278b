import Database from 'better-sqlite3';
import { applyMigrations } from './migrate.ts';
import type { Migration } from './migration.ts';
import { MIGRATIONS } from './migrations/index.ts';
import type { Db } from './sqlite.ts';

export interface OpenDatabaseOptions {
  /** Only tests pass a different list (e.g. to stop at an earlier schema). */
  migrations?: readonly Migration[];
  /** How long a writer waits for another connection's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) the archive index and brings its schema up to date.
 * Throws DatabaseTooNewError, with the handle closed, when a newer Recvault wrote it.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  const db = new Database(path);
  try {
    // WAL lets the UI read while a sync writes; NORMAL is durable at checkpoints and can only
    // lose the last transactions on power loss, never corrupt the file.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // The app and the CLI may share one index; wait for each other instead of failing.
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    applyMigrations(db, options.migrations ?? MIGRATIONS);
    // Recommended for long-lived connections: cheap, keeps planner statistics fresh.
    db.pragma('optimize = 0x10002');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
