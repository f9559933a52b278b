// One way to write a small file so a crash or power cut leaves the old content or the new, never
// an empty or half-written file: temp file beside it, fsync, rename, fsync the folder. Used for
// settings.json, secrets.json and the key files; exports flush theirs with syncFile and fsyncDir.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PRIVATE_FILE_MODE } from '../file-modes.ts';

export interface DurableWriteOptions {
  /** File mode for a new file (the temp file carries it to the target). */
  mode?: number;
  /**
   * Never replace an existing target (a key file: a second writer must not swap the key the
   * first one already encrypted with). Published with a hard link, which fails with EEXIST.
   */
  noClobber?: boolean;
}

/** Writes `data` to `target` durably and atomically; see the file comment. */
export function writeFileDurableSync(
  target: string,
  data: string | Uint8Array,
  options: DurableWriteOptions = {},
): void {
  const folder = path.dirname(target);
  const temp = path.join(folder, `.${path.basename(target)}.tmp-${randomBytes(6).toString('hex')}`);
  // Everything written this way lives in the data directory: the user's alone.
  const fd = fs.openSync(temp, 'wx', options.mode ?? PRIVATE_FILE_MODE);
  try {
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (options.noClobber) {
      fs.linkSync(temp, target);
      fs.unlinkSync(temp);
    } else {
      fs.renameSync(temp, target);
    }
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  syncFolderSync(folder);
}

/** Flushes a written file's bytes to the disk. */
export function syncFileSync(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Flushes a folder's entries (a rename, link or unlink in it) to the disk. Windows cannot open a
 * folder to sync it (NTFS journals its metadata), so there it is skipped.
 */
export function syncFolderSync(folder: string): void {
  let fd: number;
  try {
    fd = fs.openSync(folder, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (process.platform === 'win32' && (code === 'EISDIR' || code === 'EPERM')) return;
    throw error;
  }
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EPERM') throw error;
  } finally {
    fs.closeSync(fd);
  }
}

/** syncFileSync off the event loop (exports flush large files while the app stays responsive). */
export async function syncFile(file: string): Promise<void> {
  const handle = await fs.promises.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
