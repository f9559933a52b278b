import Database from 'better-sqlite3';
import { createPrivateFile } from '../file-modes.ts';

/** An exclusive lock the operating system holds for this process until release() or exit. */
export interface OsFileLock {
  release(): void;
}

/**
 * Takes an exclusive lock on `file` (an empty SQLite file used only for this), or returns null at
 * once when another process holds it. The lock is SQLite's own: a POSIX record lock (LockFileEx
 * on Windows) on the open file, which the kernel drops when the process ends however it ends (a
 * crash, SIGKILL, a kill while blocked in fsync, a zombie not yet reaped), so a dead holder never
 * reads as alive and a reused pid never matters. Two processes cannot both get it: the kernel
 * decides. (Not reliable on some network filesystems, where the index itself is not either.)
 */
export function tryOsFileLock(file: string): OsFileLock | null {
  // timeout 0: a held lock answers SQLITE_BUSY at once instead of waiting.
  createPrivateFile(file);
  const db = new Database(file, { timeout: 0 });
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return null;
    throw error;
  }
  return {
    release() {
      if (!db.open) return;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

/**
 * Takes a shared lock on `file` (SQLite's SHARED lock, held by an open read transaction), or
 * returns null at once when another process holds it exclusively. Any number of processes can
 * hold it shared at once; tryOsFileLock on the same file fails while any of them does.
 */
export function tryOsSharedLock(file: string): OsFileLock | null {
  createPrivateFile(file);
  const db = new Database(file, { timeout: 0 });
  try {
    db.exec('BEGIN');
    // The read is what takes the SHARED lock; BEGIN alone is deferred.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return null;
    throw error;
  }
  return {
    release() {
      if (!db.open) return;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}
