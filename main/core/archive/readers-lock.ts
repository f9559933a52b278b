import path from 'node:path';
import { AppError } from '../app-error.ts';
import { tryOsFileLock, tryOsSharedLock, type OsFileLock } from '../db/os-file-lock.ts';

// Exports read the archive while an archive move would delete it: every export, in any process
// on this data directory, holds this lock shared; a move takes it exclusively, so neither can
// start while the other runs, whichever process runs it (the kernel drops a dead holder's lock).

function readersLockFile(dataDir: string): string {
  return path.join(dataDir, 'archive-readers.lock.sqlite');
}

/** Held by an export for as long as it reads the archive. */
export function holdArchiveForReading(dataDir: string): OsFileLock {
  const lock = tryOsSharedLock(readersLockFile(dataDir));
  if (!lock) {
    throw new AppError('busy', 'The archive is being moved: export once the move has finished.');
  }
  return lock;
}

/** Held by an archive move: refused while any process exports from the archive. */
export function holdArchiveForMove(dataDir: string): OsFileLock {
  const lock = tryOsFileLock(readersLockFile(dataDir));
  if (!lock) {
    throw new AppError(
      'busy',
      'An export is running from the archive (in this or another Recvault window or command): ' +
        'wait for it to finish before moving the archive.',
    );
  }
  return lock;
}
