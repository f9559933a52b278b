// Byte-safe download of one recording into the archive.
//
// Bytes stream into `<final>.part` (same folder, so the final rename is atomic) through a
// SHA-256 that only ever sees bytes that reached the file; memory stays constant (stream
// pipeline with backpressure). `<final>.part.json` holds the strong ETag and sizes so a later
// run resumes with Range + If-Range after re-hashing the bytes already on disk. The final path
// only ever receives a complete, size-checked, fsynced file, and never replaces an existing one.
//
// Skipping already-archived recordings: before calling this, the engine skips a recording whose
// index row exists and whose file passes `isAlreadyArchived` (providers give no checksum up
// front, so a re-download is the only way to learn the remote bytes' hash). If the final path
// already holds identical bytes (e.g. a crash after the rename, before the index row), the
// download resolves with `alreadyArchived: true` and leaves that file untouched; different
// bytes → ArchiveError 'conflict'.
import { createHash } from 'node:crypto';
import { open as openFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ProviderError } from '../providers/errors.ts';
import type { OpenOptions, RemoteStream } from '../providers/types.ts';
import { commitPart } from './commit.ts';
import { ArchiveError, errnoCode, fromFsError } from './errors.ts';
import {
  fsyncDirShared,
  hashFile,
  hashPrefixInto,
  mkdirBelowRoot,
  removeStaleTempFilesOnce,
  rootExists,
  stageFile,
} from './fs-util.ts';
import type { StagedFile } from './fs-util.ts';
import { realArchiveRoot, resolveInsideArchive } from './inside-archive.ts';
import { discardPartFiles, isStrongEtag, loadResumable, writePartState } from './part-state.ts';
import { PartWriter } from './part-writer.ts';
import type { OpenPartFile, PartFile, PartProgress } from './part-writer.ts';

export interface DownloadOptions {
  /** Opens the recording's bytes (ProviderClient.open bound to one recording). */
  open: (options: OpenOptions) => Promise<RemoteStream>;
  /** The provider's metadata size, if it gave one; a different byte count is an error. */
  expectedSize: number | null;
  /** Optional checksum from the provider; a different SHA-256 is an 'integrity' error. */
  expectedSha256?: string | null;
  archiveRoot: string;
  /** From `archiveRelativePath`; checked with `resolveInsideArchive`. */
  relativePath: string;
  signal?: AbortSignal;
  /** Throttled to about 10 calls a second, plus one at the end. */
  onProgress?: (bytesDone: number, totalBytes: number | null) => void;
  /** Re-opens allowed after a dropped connection or a changed file. Default 3. */
  maxRestarts?: number;
  /** Test seam: how the `.part` file is opened. */
  openPartFile?: OpenPartFile;
  /**
   * Small files published with the media file (its sidecar), built from the finished file's
   * size and SHA-256. Each is written to a temp file and flushed while the media file is
   * flushed, renamed into place right after the media file is published, and one folder fsync
   * covers the media file and them before the download resolves.
   */
  companions?: (file: ArchivedFile) => Array<{ relativePath: string; data: string }>;
}

/** The finished file, as a companion (the sidecar) describes it. */
export interface ArchivedFile {
  relativePath: string;
  size: number;
  sha256: string;
  contentType: string | null;
}

export interface DownloadResult {
  relativePath: string;
  size: number;
  sha256: string;
  /** The server's Content-Type for the bytes (may differ from the discovery metadata). */
  contentType: string | null;
  /** True when the final path already held these exact bytes (nothing was replaced). */
  alreadyArchived: boolean;
  /** Bytes reused from an earlier run's `.part`. */
  resumedFrom: number;
  /** Re-opens this call needed. */
  restarts: number;
}

/** How much a large download writes between two background flushes (see flushAhead). */
const FLUSH_AHEAD_BYTES = 64 * 1024 * 1024;

const defaultOpenPartFile: OpenPartFile = (file, flags) => openFile(file, flags);

function abortedError(relativePath: string, cause?: unknown): ArchiveError {
  return new ArchiveError({
    kind: 'aborted',
    message: 'Download paused or cancelled; the partial file is kept for resume',
    relativePath,
    ...(cause === undefined ? {} : { cause }),
  });
}

function sizeMismatch(relativePath: string, message: string): ArchiveError {
  return new ArchiveError({ kind: 'size_mismatch', message, relativePath });
}

/** Every size the response and the provider claim for the whole file; they must agree. */
function announcedTotal(
  res: RemoteStream,
  known: Array<number | null>,
): number | null | 'conflict' {
  const fromLength =
    res.contentLength === null
      ? null
      : res.status === 200
        ? res.contentLength
        : res.startOffset + res.contentLength;
  const claims = [res.totalSize, fromLength, ...known].filter((n): n is number => n !== null);
  const first = claims[0];
  if (first === undefined) return null;
  return claims.every((n) => n === first) ? first : 'conflict';
}

class Download {
  readonly o: DownloadOptions;
  readonly rel: string;
  readonly signal: AbortSignal | undefined;
  readonly maxRestarts: number;
  realRoot = '';
  finalPath = '';
  partPath = '';
  metaPath = '';
  file: PartFile | null = null;
  progress: PartProgress = { hash: createHash('sha256'), bytes: 0 };
  /** Strong ETag and total of the bytes in `.part` (null etag → cannot resume). */
  etag: string | null = null;
  total: number | null = null;
  contentType: string | null = null;
  restarts = 0;
  resumedFrom = 0;
  lastProgressAt = 0;
  /** Bytes of `.part` handed to an early flush so far, the flush running, and its failure. */
  flushedAhead = 0;
  flushing: Promise<void> | null = null;
  flushFailure: unknown = null;

  constructor(o: DownloadOptions) {
    this.o = o;
    this.rel = o.relativePath;
    this.signal = o.signal;
    this.maxRestarts = o.maxRestarts ?? 3;
  }

  async fs<T>(what: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (err) {
      throw fromFsError(err, what, this.rel, await rootExists(this.realRoot));
    }
  }

  checkAborted(): void {
    if (this.signal?.aborted) throw abortedError(this.rel, this.signal.reason);
  }

  report(force: boolean): void {
    if (this.o.onProgress === undefined) return;
    const now = performance.now();
    if (!force && now - this.lastProgressAt < 100) return;
    this.lastProgressAt = now;
    this.o.onProgress(this.progress.bytes, this.total);
  }

  async run(): Promise<DownloadResult> {
    this.realRoot = await realArchiveRoot(this.o.archiveRoot);
    this.finalPath = await resolveInsideArchive(this.realRoot, this.rel);
    this.partPath = this.finalPath + '.part';
    this.metaPath = this.finalPath + '.part.json';
    this.checkAborted();
    const dir = path.relative(this.realRoot, path.dirname(this.finalPath));
    await this.fs('creating folders', () => mkdirBelowRoot(this.realRoot, dir));
    // A kill between an atomic write's temp file and its rename leaves `.<name>.tmp-<hex>`
    // (resume state, sidecar): swept from the folder before anything is written into it.
    await this.fs('removing stale temp files', () =>
      removeStaleTempFilesOnce(path.dirname(this.finalPath)),
    );
    try {
      await this.prepare();
      if (this.total === null || this.progress.bytes < this.total) await this.transfer();
      return await this.finish();
    } finally {
      const file = this.file;
      this.file = null;
      if (file !== null) {
        await this.flushing;
        await file.close().catch(() => undefined);
      }
    }
  }

  /** Picks up a consistent `.part` from an earlier run, or starts an empty one. */
  async prepare(): Promise<void> {
    const resumable = await this.fs('reading the partial download', () =>
      loadResumable(this.partPath, this.metaPath, this.o.expectedSize),
    );
    if (resumable !== null) {
      const hashed = await this.fs('re-hashing the partial download', () =>
        hashPrefixInto(this.partPath, this.progress.hash, resumable.bytes, this.signal),
      ).catch((err: unknown) => {
        if (this.signal?.aborted) throw abortedError(this.rel, err);
        throw err;
      });
      if (hashed === resumable.bytes) {
        this.file = await this.fs('opening the partial download', () =>
          (this.o.openPartFile ?? defaultOpenPartFile)(this.partPath, 'r+'),
        );
        this.progress.bytes = resumable.bytes;
        this.etag = resumable.etag;
        this.total = resumable.totalSize;
        this.resumedFrom = resumable.bytes;
        return;
      }
      this.progress.hash = createHash('sha256');
    }
    this.file = await this.fs('creating the partial download', () =>
      (this.o.openPartFile ?? defaultOpenPartFile)(this.partPath, 'w'),
    );
  }

  /** Empties `.part` and forgets its validator: the next bytes start at offset 0. */
  async resetToZero(): Promise<void> {
    const file = this.file;
    if (file === null) throw new Error('part file not open');
    await this.fs('truncating the partial download', () => file.truncate(0));
    this.progress = { hash: createHash('sha256'), bytes: 0 };
    this.etag = null;
    this.total = null;
  }

  async discardAndThrow(err: ArchiveError): Promise<never> {
    // Close first: Windows cannot delete an open file.
    const file = this.file;
    this.file = null;
    await this.flushing;
    if (file !== null) await file.close().catch(() => undefined);
    await discardPartFiles(this.partPath, this.metaPath).catch(() => undefined);
    throw err;
  }

  async openResponse(): Promise<RemoteStream> {
    this.checkAborted();
    const offset = this.progress.bytes;
    const options: OpenOptions =
      offset > 0 ? { offset, etag: this.etag } : { offset: 0, etag: null };
    if (this.signal !== undefined) options.signal = this.signal;
    try {
      return await this.o.open(options);
    } catch (err) {
      if (this.signal?.aborted) throw abortedError(this.rel, err);
      throw err;
    }
  }

  /**
   * Checks a response against what is on disk. Returns false when the body was discarded and
   * the next attempt must start from 0 (counted as a restart).
   */
  async accept(res: RemoteStream): Promise<boolean> {
    const offset = this.progress.bytes;
    if (offset > 0) {
      if (res.status === 200 || res.startOffset === 0) {
        // Range ignored, or If-Range saw a different file: this body is the whole file.
        await this.resetToZero();
      } else {
        const changed =
          res.startOffset !== offset ||
          (res.etag !== null && res.etag !== this.etag) ||
          (res.totalSize !== null && this.total !== null && res.totalSize !== this.total);
        if (changed) {
          res.body.destroy();
          await this.resetToZero();
          return false;
        }
      }
    } else if (res.status === 206 && res.startOffset !== 0) {
      res.body.destroy();
      await this.discardAndThrow(
        sizeMismatch(this.rel, `Asked for the whole file, got bytes from ${res.startOffset}`),
      );
    }
    const resumed = this.progress.bytes > 0;
    const total = announcedTotal(res, [this.o.expectedSize, resumed ? this.total : null]);
    if (total === 'conflict') {
      res.body.destroy();
      await this.discardAndThrow(
        sizeMismatch(
          this.rel,
          `Sizes disagree: provider ${this.o.expectedSize ?? '?'}, Content-Length ${res.contentLength ?? '?'}, total ${res.totalSize ?? '?'}`,
        ),
      );
    }
    this.total = total === 'conflict' ? null : total;
    this.contentType = res.contentType;
    if (!resumed) {
      this.etag = isStrongEtag(res.etag) ? res.etag : null;
      await this.fs('saving the resume state', () =>
        writePartState(this.metaPath, {
          version: 1,
          etag: this.etag,
          totalSize: this.total,
          expectedSize: this.o.expectedSize,
          startedAt: new Date().toISOString(),
        }),
      );
    }
    return true;
  }

  /** Failed attempt (drop or short body): retry from where it got to, or give up. */
  async retryOrThrow(failure: ArchiveError | unknown): Promise<void> {
    if (this.restarts >= this.maxRestarts) {
      if (failure instanceof ArchiveError || failure instanceof ProviderError) throw failure;
      throw new ArchiveError({
        kind: 'interrupted',
        message: `The connection dropped ${this.restarts + 1} times; the partial file is kept for resume`,
        relativePath: this.rel,
        cause: failure,
      });
    }
    this.restarts += 1;
    // Without a strong ETag a resumed Range could splice two versions of the file.
    if (this.etag === null && this.progress.bytes > 0) await this.resetToZero();
  }

  async transfer(): Promise<void> {
    for (;;) {
      const res = await this.openResponse();
      if (!(await this.accept(res))) {
        if (this.restarts >= this.maxRestarts) {
          throw new ArchiveError({
            kind: 'integrity',
            message: 'The file kept changing at the provider while downloading',
            relativePath: this.rel,
          });
        }
        this.restarts += 1;
        continue;
      }
      const startedAt = this.progress.bytes;
      const file = this.file;
      if (file === null) throw new Error('part file not open');
      const writer = new PartWriter(file, this.progress, this.total, () => {
        this.report(false);
        this.flushAhead(file);
      });
      this.report(true);
      try {
        await pipeline(res.body, writer, this.signal === undefined ? {} : { signal: this.signal });
      } catch (err) {
        await writer.idle();
        if (this.signal?.aborted) throw abortedError(this.rel, err);
        if (writer.failure !== null) {
          if (writer.failure instanceof ArchiveError) await this.discardAndThrow(writer.failure);
          throw fromFsError(
            writer.failure,
            'writing the download',
            this.rel,
            await rootExists(this.realRoot),
          );
        }
        if (err instanceof ProviderError && !err.retryable) throw err;
        await this.retryOrThrow(err);
        continue;
      }
      const received = this.progress.bytes - startedAt;
      if (res.contentLength !== null && received > res.contentLength) {
        await this.discardAndThrow(
          sizeMismatch(this.rel, `Got ${received} bytes, Content-Length said ${res.contentLength}`),
        );
      }
      const short =
        (res.contentLength !== null && received < res.contentLength) ||
        (this.total !== null && this.progress.bytes < this.total);
      if (!short) return;
      await this.retryOrThrow(
        sizeMismatch(
          this.rel,
          `The server ended the body early: ${this.progress.bytes} of ${this.total ?? startedAt + (res.contentLength ?? 0)} bytes; the partial file is kept for resume`,
        ),
      );
    }
  }

  async finish(): Promise<DownloadResult> {
    const file = this.file;
    if (file === null) throw new Error('part file not open');
    this.checkAborted();
    const size = this.progress.bytes;
    const sha256 = this.progress.hash.digest('hex');
    const expected = this.o.expectedSize;
    if ((expected !== null && size !== expected) || (this.total !== null && size !== this.total)) {
      await this.discardAndThrow(
        sizeMismatch(this.rel, `Got ${size} bytes, expected ${expected ?? this.total}`),
      );
    }
    const wanted = this.o.expectedSha256;
    if (wanted !== undefined && wanted !== null && wanted.toLowerCase() !== sha256) {
      await this.discardAndThrow(
        new ArchiveError({
          kind: 'integrity',
          message: `SHA-256 ${sha256} differs from the provider's ${wanted}`,
          relativePath: this.rel,
        }),
      );
    }
    const archived: ArchivedFile = {
      relativePath: this.rel,
      size,
      sha256,
      contentType: this.contentType,
    };
    const companions = this.o.companions?.(archived) ?? [];
    const staged: StagedFile[] = [];
    try {
      // The companions' bytes are flushed while the media file's are: both fsyncs usually ride
      // one journal commit. Nothing is visible yet (temp names).
      const stagedAll = Promise.all(
        companions.map(async (c) => {
          staged.push(await stageFile(await this.companionPath(c.relativePath), c.data));
        }),
      );
      const flushed = this.flushPart(file, size);
      const [flush, stage] = await Promise.allSettled([flushed, stagedAll]);
      if (flush.status === 'rejected') throw flush.reason;
      if (stage.status === 'rejected') {
        throw fromFsError(
          stage.reason,
          'writing the sidecar',
          this.rel,
          await rootExists(this.realRoot),
        );
      }
      const outcome = await this.fs('moving the download into place', () =>
        commitPart(this.partPath, this.finalPath, this.rel, sha256, size),
      ).catch(async (err: unknown) => {
        if (err instanceof ArchiveError && err.kind === 'conflict') await this.discardAndThrow(err);
        throw err;
      });
      // Companions only ever appear next to a published media file, after it.
      while (staged.length > 0) {
        const companion = staged[0]!;
        await this.fs('writing the sidecar', () => companion.publish());
        staged.shift();
      }
      await this.fs('flushing the archive folder', () =>
        fsyncDirShared(path.dirname(this.finalPath)),
      );
      await discardPartFiles(this.partPath, this.metaPath).catch(() => undefined);
      this.report(true);
      return {
        relativePath: this.rel,
        size,
        sha256,
        contentType: this.contentType,
        alreadyArchived: outcome === 'already_archived',
        resumedFrom: this.resumedFrom,
        restarts: this.restarts,
      };
    } finally {
      await Promise.all(staged.map((s) => s.discard()));
    }
  }

  /**
   * Large files: every FLUSH_AHEAD_BYTES written, an fdatasync runs in the background while
   * the transfer goes on, so the disk writes overlap the network instead of all waiting for
   * the final flush (which still runs, and alone makes the file durable). A failed early flush
   * fails the download at its end: after a write-back error Linux reports it only once.
   */
  flushAhead(file: PartFile): void {
    if (file.datasync === undefined || this.flushing !== null) return;
    if (this.progress.bytes - this.flushedAhead < FLUSH_AHEAD_BYTES) return;
    this.flushedAhead = this.progress.bytes;
    this.flushing = file.datasync().then(
      () => {
        this.flushing = null;
      },
      (err: unknown) => {
        this.flushFailure ??= err;
        this.flushing = null;
      },
    );
  }

  /**
   * A companion beside the media file needs no new resolution: its folder was resolved and
   * checked for the media file, and a symlink at its own name would be replaced by the rename,
   * never followed. Anything else goes through `resolveInsideArchive`.
   */
  async companionPath(relativePath: string): Promise<string> {
    const name = path.posix.basename(relativePath);
    if (
      path.posix.dirname(relativePath) === path.posix.dirname(this.rel) &&
      /^[^/\\]+$/.test(name) &&
      name !== '.' &&
      name !== '..'
    ) {
      return path.join(path.dirname(this.finalPath), name);
    }
    return resolveInsideArchive(this.realRoot, relativePath);
  }

  /**
   * Flushes `.part` to disk (fdatasync: its bytes and size, which is all a later read needs)
   * and closes it, then checks its size on disk against the bytes hashed. The SHA-256 needs no
   * re-read: the hash was fed exactly the bytes each write() reported written, at the position
   * they were written to, so it describes the file; a re-read right after would come from the
   * page cache, i.e. check the same kernel buffers the writes filled, not the disk. What could
   * still differ is another process truncating or extending the file, which the size shows.
   */
  async flushPart(file: PartFile, size: number): Promise<void> {
    await this.fs('flushing the download to disk', async () => {
      await this.flushing;
      if (this.flushFailure !== null) throw this.flushFailure;
      await (file.datasync === undefined ? file.sync() : file.datasync());
    });
    this.file = null;
    await this.fs('closing the download', () => file.close());
    const onDisk = await this.fs('checking the download', () => stat(this.partPath));
    if (onDisk.size !== size) {
      await this.discardAndThrow(
        new ArchiveError({
          kind: 'integrity',
          message: `The partial file on disk holds ${onDisk.size} bytes, not the ${size} received`,
          relativePath: this.rel,
        }),
      );
    }
  }
}

/**
 * Downloads one recording into `<archiveRoot>/<relativePath>` (see the file comment).
 * Throws ArchiveError (disk_full, permission, archive_missing, size_mismatch, integrity,
 * aborted, unsafe_path, conflict, interrupted, io) or passes a ProviderError from `open` through.
 * On aborted / disk_full / permission / interrupted the `.part` stays for resume; on
 * size_mismatch from contradictory sizes, integrity or conflict it is deleted.
 */
export function downloadToArchive(options: DownloadOptions): Promise<DownloadResult> {
  return new Download(options).run();
}

/**
 * True when `<root>/<relativePath>` exists with this SHA-256 (and size, if given). Hashes the
 * whole file (streaming). Missing file → false; unsafe path, vanished root or an unreadable
 * file → throws ArchiveError.
 */
export async function isAlreadyArchived(
  archiveRoot: string,
  relativePath: string,
  sha256: string,
  size?: number | null,
): Promise<boolean> {
  const file = await resolveInsideArchive(archiveRoot, relativePath);
  try {
    const actual = await hashFile(file);
    return actual.sha256 === sha256.toLowerCase() && (size == null || actual.size === size);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'EISDIR') return false;
    throw fromFsError(
      err,
      'checking an archived file',
      relativePath,
      await rootExists(archiveRoot),
    );
  }
}

/** Deletes a recording's `.part` and resume state (job cancelled for good). */
export async function discardPartial(archiveRoot: string, relativePath: string): Promise<void> {
  const file = await resolveInsideArchive(archiveRoot, relativePath);
  await discardPartFiles(file + '.part', file + '.part.json');
}
