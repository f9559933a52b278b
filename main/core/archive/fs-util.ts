// Small durable-filesystem helpers shared by the archive layer.
import { createHash, randomBytes } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode } from './errors.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../file-modes.ts';

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
      await mkdir(current, PRIVATE_DIR_MODE);
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
    }
  }
}

interface DirSyncGroup {
  /** The fsync running now. */
  running: Promise<void>;
  /** The fsync that starts when `running` ends: every caller since `running` began waits on it. */
  queued: Promise<void> | null;
}

const dirSyncGroups = new Map<string, DirSyncGroup>();

/**
 * `fsyncDir`, shared between concurrent callers of the same folder (group commit): a caller
 * waits for an fsync that *started after* it called, so everything it did in the folder before
 * calling is covered; callers that arrive while one runs share the next. Concurrent downloads
 * into one folder then cost one folder fsync per round instead of one each, and since every
 * fsync waits for a journal commit on most filesystems, fewer of them is most of the time of a
 * small-file sync.
 */
export function fsyncDirShared(dir: string): Promise<void> {
  const group = dirSyncGroups.get(dir);
  if (group === undefined) {
    const running = fsyncDir(dir).finally(() => settle(dir, running));
    dirSyncGroups.set(dir, { running, queued: null });
    return running;
  }
  if (group.queued !== null) return group.queued;
  const queued = group.running
    .then(
      () => undefined,
      () => undefined,
    )
    .then(() => {
      group.running = queued;
      group.queued = null;
      return fsyncDir(dir);
    })
    .finally(() => settle(dir, queued));
  group.queued = queued;
  return queued;
}

function settle(dir: string, done: Promise<void>): void {
  const group = dirSyncGroups.get(dir);
  if (group !== undefined && group.running === done && group.queued === null) {
    dirSyncGroups.delete(dir);
  }
}

/** A file written to a temp name beside its target and flushed, not yet visible. */
export interface StagedFile {
  readonly target: string;
  readonly temp: string;
  /** Renames it into place (atomic; replaces an older version). Does not fsync the folder. */
  publish(): Promise<void>;
  /** Deletes the temp file (never throws). */
  discard(): Promise<void>;
}

function tempNameFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.tmp-${randomBytes(6).toString('hex')}`,
  );
}

/**
 * Writes `data` to a temp file in `target`'s folder; `durable` (default) flushes its bytes
 * (fdatasync) before returning, so a later rename publishes complete content.
 */
export async function stageFile(
  target: string,
  data: string | Uint8Array,
  options: { durable?: boolean } = {},
): Promise<StagedFile> {
  const temp = tempNameFor(target);
  const handle = await open(temp, 'wx', PRIVATE_FILE_MODE);
  try {
    try {
      await handle.writeFile(data);
      if (options.durable ?? true) await handle.datasync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  return {
    target,
    temp,
    async publish() {
      try {
        await rename(temp, target);
      } catch (err) {
        await rm(temp, { force: true }).catch(() => undefined);
        throw err;
      }
    },
    async discard() {
      await rm(temp, { force: true }).catch(() => undefined);
    },
  };
}

/**
 * Writes a small file atomically: temp file in the same folder, fdatasync, rename, fsync folder.
 * `durable: false` skips both fsyncs (still atomic: readers see the old or the new file, never
 * half of one) for files whose loss after a power cut only costs work, never data.
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: { durable?: boolean } = {},
): Promise<void> {
  const durable = options.durable ?? true;
  const staged = await stageFile(target, data, { durable });
  await staged.publish();
  if (durable) await fsyncDirShared(path.dirname(target));
}

const cleanedFolders = new Map<string, Promise<number>>();

/**
 * Deletes the temp files (`.<name>.tmp-<hex>`) that atomic writes left in `dir` when a process
 * was killed between creating and renaming them, once per folder for the life of this process:
 * a temp file this process creates is renamed or removed by the write that made it, so only an
 * earlier process can have left one. Every writer into an archive folder awaits this before
 * creating its own temp files, so a live one is never taken for stale (the archiver lock keeps
 * other processes out). Resolves to how many were removed by the first call.
 */
export function removeStaleTempFilesOnce(dir: string): Promise<number> {
  let cleaning = cleanedFolders.get(dir);
  if (cleaning === undefined) {
    cleaning = removeStaleTempFiles(dir);
    cleanedFolders.set(dir, cleaning);
    // A failed sweep (an unreadable folder) is tried again by the next download.
    cleaning.catch(() => cleanedFolders.delete(dir));
  }
  return cleaning;
}

async function removeStaleTempFiles(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    if (!isTempFileName(name)) continue;
    await rm(path.join(dir, name), { force: true });
    removed++;
  }
  return removed;
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
