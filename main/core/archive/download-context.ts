// What the steps of one download share: its options and resolved paths (fixed once known), and
// the state of the `.part` on disk, changed only through the named steps below.
import { createHash } from 'node:crypto';
import type { DownloadOptions } from './download.ts';
import { ArchiveError, fromFsError } from './errors.ts';
import { rootExists } from './fs-util.ts';
import { realArchiveRoot, resolveInsideArchive } from './inside-archive.ts';
import type { OpenPart } from './open-part.ts';
import { discardPartFiles } from './part-state.ts';
import type { Resumable } from './part-state.ts';
import type { PartProgress } from './part-writer.ts';

export interface DownloadPaths {
  /** The archive root with symlinks resolved. */
  readonly realRoot: string;
  readonly finalPath: string;
  /** `<final>.part`: same folder, so the final rename is atomic. */
  readonly partPath: string;
  /** `<final>.part.json`: the resume state. */
  readonly metaPath: string;
}

export function abortedError(relativePath: string, cause?: unknown): ArchiveError {
  return new ArchiveError({
    kind: 'aborted',
    message: 'Download paused or cancelled; the partial file is kept for resume',
    relativePath,
    ...(cause === undefined ? {} : { cause }),
  });
}

export function sizeMismatch(relativePath: string, message: string): ArchiveError {
  return new ArchiveError({ kind: 'size_mismatch', message, relativePath });
}

const emptyProgress = (): PartProgress => ({ hash: createHash('sha256'), bytes: 0 });

export class DownloadContext {
  readonly options: DownloadOptions;
  /** The archive-relative path of the final file: the only path errors name. */
  readonly rel: string;
  readonly signal: AbortSignal | undefined;
  readonly maxRestarts: number;
  readonly paths: DownloadPaths;
  #part: OpenPart | null = null;
  #progress: PartProgress = emptyProgress();
  /** Strong ETag and total of the bytes in `.part` (null etag → cannot resume). */
  #etag: string | null = null;
  #total: number | null = null;
  #contentType: string | null = null;
  #restarts = 0;
  #resumedFrom = 0;
  #lastProgressAt = 0;

  private constructor(options: DownloadOptions, paths: DownloadPaths) {
    this.options = options;
    this.rel = options.relativePath;
    this.signal = options.signal;
    this.maxRestarts = options.maxRestarts ?? 3;
    this.paths = paths;
  }

  /** Resolves the final path inside the archive (refusing one that leaves it). */
  static async create(options: DownloadOptions): Promise<DownloadContext> {
    const realRoot = await realArchiveRoot(options.archiveRoot);
    const finalPath = await resolveInsideArchive(realRoot, options.relativePath);
    return new DownloadContext(options, {
      realRoot,
      finalPath,
      partPath: finalPath + '.part',
      metaPath: finalPath + '.part.json',
    });
  }

  /** The bytes in `.part` so far and their SHA-256; the writer advances it. */
  get progress(): PartProgress {
    return this.#progress;
  }

  get etag(): string | null {
    return this.#etag;
  }

  get total(): number | null {
    return this.#total;
  }

  get contentType(): string | null {
    return this.#contentType;
  }

  get restarts(): number {
    return this.#restarts;
  }

  get resumedFrom(): number {
    return this.#resumedFrom;
  }

  get part(): OpenPart {
    if (this.#part === null) throw new Error('part file not open');
    return this.#part;
  }

  /** Continues an earlier run's `.part`, whose bytes `progress` has already hashed. */
  resumePart(part: OpenPart, resumable: Resumable): void {
    this.#part = part;
    this.#progress.bytes = resumable.bytes;
    this.#etag = resumable.etag;
    this.#total = resumable.totalSize;
    this.#resumedFrom = resumable.bytes;
  }

  /** Starts an empty `.part`. */
  startPart(part: OpenPart): void {
    this.#part = part;
    this.#progress = emptyProgress();
  }

  /** What a response announced about the whole file it delivers. */
  recordResponse(total: number | null, contentType: string | null): void {
    this.#total = total;
    this.#contentType = contentType;
  }

  /** The validator of a download from 0: only a strong ETag lets a later run resume. */
  startValidator(etag: string | null): void {
    this.#etag = etag;
  }

  countRestart(): void {
    this.#restarts += 1;
  }

  /** Empties `.part` and forgets its validator: the next bytes start at offset 0. */
  async resetToZero(): Promise<void> {
    const file = this.part.file;
    await this.fs('truncating the partial download', () => file.truncate(0));
    this.#progress = emptyProgress();
    this.#etag = null;
    this.#total = null;
  }

  /** A filesystem failure as the ArchiveError the engine acts on (vanished root, disk full…). */
  async fsError(err: unknown, what: string): Promise<ArchiveError> {
    return fromFsError(err, what, this.rel, await rootExists(this.paths.realRoot));
  }

  async fs<T>(what: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (err) {
      throw await this.fsError(err, what);
    }
  }

  checkAborted(): void {
    if (this.signal?.aborted) throw abortedError(this.rel, this.signal.reason);
  }

  /** Throttled to about 10 calls a second unless forced. */
  report(force: boolean): void {
    if (this.options.onProgress === undefined) return;
    const now = performance.now();
    if (!force && now - this.#lastProgressAt < 100) return;
    this.#lastProgressAt = now;
    this.options.onProgress(this.#progress.bytes, this.#total);
  }

  /** Closes and deletes `.part` and its state (bytes we cannot trust), then throws `err`. */
  async discardAndThrow(err: ArchiveError): Promise<never> {
    // Close first: Windows cannot delete an open file.
    await this.#part?.closeQuietly();
    await discardPartFiles(this.paths.partPath, this.paths.metaPath).catch(() => undefined);
    throw err;
  }

  /** Closes `.part` if it is still open (the download ended, one way or another). */
  async closePart(): Promise<void> {
    await this.#part?.closeQuietly();
  }
}
