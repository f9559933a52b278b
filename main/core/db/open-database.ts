import Database from 'better-sqlite3';
import { applyMigrations } from './migrate.ts';
import type { Migration } from './migration.ts';
import { MIGRATIONS } from './migrations/index.ts';
import type { Db } from './sqlite.ts';
import { createPrivateFile } from '../file-modes.ts';

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
  // Created private before SQLite opens it; its -wal and -shm files take the same mode.
  if (path !== ':memory:') createPrivateFile(path);
  const db = new Database(path);
  try {
    // WAL lets the UI read while a sync writes; NORMAL is durable at checkpoints and can only
    // lose the last transactions on power loss, never corrupt the file.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // 64 MiB of page cache (the default is 16 MiB): the library's index walks and the full-text
    // doclists of a million-row index stay in memory between searches.
    db.pragma('cache_size = -65536');
    // The app and the CLI may share one index; wait for each other instead of failing.
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    applyMigrations(db, options.migrations ?? MIGRATIONS);
    // No ANALYZE here: at a million rows it reads most of the file (the FTS segments are
    // re-counted in full whenever they have grown), which made a cold open take seconds. The
    // library's searches choose their indexes by counting (db/search/), not from statistics;
    // statistics are refreshed off the open path by optimizeDatabase().
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Refreshes the planner's statistics where they are stale, with each index sampled rather than
 * read in full. Run it off the open path (when idle, or before closing a long session); it may
 * still read a table with no index in full (the FTS segments) when that table has grown a lot.
 */
export function optimizeDatabase(db: Db): void {
  db.pragma('analysis_limit = 400');
  db.pragma('optimize = 0x10002');
}
