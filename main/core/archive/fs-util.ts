// Small durable-filesystem helpers shared by the archive layer.
import { createHash, randomBytes } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode } from './errors.ts';

/** Whether `root` still exists as a folder (never creates it). */
export async function rootExists(root: string): Promise<boolean> {
  try {
    return (await stat(root)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * fsync a folder so a rename inside it survives power loss. Windows cannot open folders for
 * syncing (EISDIR/EPERM); NTFS journals renames, so that is skipped.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch (err) {
    const code = errnoCode(err);
    if (process.platform === 'win32' && (code === 'EISDIR' || code === 'EPERM')) return;
    throw err;
  }
  try {
    await handle.sync();
  } catch (err) {
    const code = errnoCode(err);
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EPERM') throw err;
  } finally {
    await handle.close();
  }
}

/**
 * Creates the folders of `relativeDir` below `realRoot` one level at a time, never the root
 * itself: if the archive root vanished this fails with ENOENT instead of silently recreating it
 * (a recursive mkdir would rebuild it on, say, the internal disk under an unmounted drive's path).
 */
export async function mkdirBelowRoot(realRoot: string, relativeDir: string): Promise<void> {
  if (relativeDir === '' || relativeDir === '.') return;
  let current = realRoot;
  for (const segment of relativeDir.split(/[\\/]/)) {
    current = path.join(current, segment);
    try {
      await mkdir(current);
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
    }
  }
}

/**
 * Writes a small file atomically: temp file in the same folder, fsync, rename, fsync folder.
 * `durable: false` skips both fsyncs (still atomic: readers see the old or the new file, never
 * half of one) for files whose loss after a power cut only costs work, never data.
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: { durable?: boolean } = {},
): Promise<void> {
  const durable = options.durable ?? true;
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.tmp-${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, 'wx');
  try {
    try {
      await handle.writeFile(data);
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  if (durable) await fsyncDir(dir);
}

/** True for our own temp files (`.<name>.tmp-<hex>`), which the scanners skip. */
export function isTempFileName(name: string): boolean {
  return name.startsWith('.') && /\.tmp-[0-9a-f]{12}$/.test(name);
}

const READ_BUFFER_SIZE = 256 * 1024;

/**
 * Feeds bytes [0, limit) of `file` (all of it when limit is null) into `hash`, reading into one
 * reused buffer: constant memory and no garbage, however large the file. Returns bytes read.
 */
async function hashInto(
  file: string,
  hash: Hash,
  limit: number | null,
  onBytes?: (n: number) => void,
  signal?: AbortSignal,
): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_BUFFER_SIZE);
    let position = 0;
    for (;;) {
      signal?.throwIfAborted();
      const want = limit === null ? buffer.length : Math.min(buffer.length, limit - position);
      if (want <= 0) break;
      const { bytesRead } = await handle.read(buffer, 0, want, position);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      position += bytesRead;
      onBytes?.(bytesRead);
    }
    return position;
  } finally {
    await handle.close();
  }
}

/** Streams a file through SHA-256 in constant memory. */
export async function hashFile(
  file: string,
  onBytes?: (n: number) => void,
  signal?: AbortSignal,
): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  const size = await hashInto(file, hash, null, onBytes, signal);
  return { sha256: hash.digest('hex'), size };
}

/** Feeds the first `length` bytes of `file` into `hash`; returns how many bytes were read. */
export function hashPrefixInto(
  file: string,
  hash: Hash,
  length: number,
  signal?: AbortSignal,
): Promise<number> {
  return hashInto(file, hash, length, undefined, signal);
}
