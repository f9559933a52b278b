// What Recvault creates in its data directory and archive is the user's alone: recordings,
// their sidecars, the index, settings and secrets. Folders 0700, files 0600 (POSIX; Windows
// ignores modes and relies on the profile folder's ACL). Exports are not held to this: they
// are made to be handed on, so they take the user's own umask like any file they save.
import fs from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `file` empty with the private mode unless it exists (SQLite then keeps the mode).
 * Any failure is left for the opener to report in its own words (a missing folder, no access).
 */
export function createPrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch {
    // Exists already, or cannot be created: SQLite's open says which.
  }
}
