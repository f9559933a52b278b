// A Writable that appends to the `.part` file and feeds SHA-256 with exactly the bytes that
// reached the file, so the hash and byte count always describe what is on disk, even when the
// stream is torn down mid-write (dropped connection, abort, disk full).
import type { Hash } from 'node:crypto';
import { Writable } from 'node:stream';
import { ArchiveError } from './errors.ts';

/** The part of a FileHandle the downloader uses (a real FileHandle satisfies it). */
export interface PartFile {
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  /** Gathered write, where the handle has it (a real FileHandle does): no copy into one buffer. */
  writev?(buffers: Buffer[], position: number): Promise<{ bytesWritten: number }>;
  /** fdatasync, where the handle has it (a real FileHandle does). */
  datasync?(): Promise<void>;
  truncate(length?: number): Promise<void>;
  close(): Promise<void>;
}

/** Opens the `.part` file: 'w' creates/truncates, 'r+' opens an existing one for resume. */
export type OpenPartFile = (absolutePath: string, flags: 'w' | 'r+') => Promise<PartFile>;

/** Shared between attempts of one download: what is on disk so far. */
export interface PartProgress {
  hash: Hash;
  bytes: number;
}

export class PartWriter extends Writable {
  readonly #file: PartFile;
  readonly #progress: PartProgress;
  readonly #limit: number | null;
  readonly #onBytes: () => void;
  #inflight: Promise<void> = Promise.resolve();
  /** Set when the write side failed (filesystem error or too many bytes). */
  failure: unknown = null;

  constructor(file: PartFile, progress: PartProgress, limit: number | null, onBytes: () => void) {
    super({ highWaterMark: 256 * 1024 });
    this.#file = file;
    this.#progress = progress;
    this.#limit = limit;
    this.#onBytes = onBytes;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error) => void) {
    this.#start(chunk, callback);
  }

  /**
   * Chunks that queued up while a write was on the disk go out as one write: a sync from a fast
   * server then costs one thread-pool round trip per ~256 KiB instead of one per socket read
   * (64 KiB), which was the ceiling of a large download (benchmarks, archive-large).
   */
  override _writev(
    chunks: Array<{ chunk: Buffer; encoding: BufferEncoding }>,
    callback: (err?: Error) => void,
  ) {
    const buffers = chunks.map((c) => c.chunk);
    if (buffers.length === 1) this.#start(buffers[0]!, callback);
    else if (this.#file.writev === undefined) this.#start(Buffer.concat(buffers), callback);
    else this.#start(buffers, callback);
  }

  /**
   * Writes, then lets the next queued chunks go to the disk before hashing these: the SHA-256
   * of one batch runs on the main thread while the next batch is written by the thread pool.
   * The hash still only ever sees bytes after they were written, in file order: the next
   * batch's completion is a later tick than this synchronous update.
   */
  #start(chunk: Buffer | Buffer[], callback: (err?: Error) => void): void {
    const written: Buffer[] = [];
    const run = Array.isArray(chunk)
      ? this.#writeGathered(chunk, written)
      : this.#writeAll(chunk, written);
    const hashWritten = (): void => {
      for (const piece of written) this.#progress.hash.update(piece);
    };
    this.#inflight = run.then(
      () => {
        callback();
        hashWritten();
        this.#onBytes();
      },
      (err: unknown) => {
        hashWritten();
        this.failure = err;
        callback(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  #checkLimit(length: number): void {
    if (this.#limit !== null && this.#progress.bytes + length > this.#limit) {
      throw new ArchiveError({
        kind: 'size_mismatch',
        message: `The server sent more than the expected ${this.#limit} bytes`,
      });
    }
  }

  /** One writev for the chunks that queued up; a short write finishes chunk by chunk. */
  async #writeGathered(chunks: Buffer[], written: Buffer[]): Promise<void> {
    this.#checkLimit(chunks.reduce((n, c) => n + c.length, 0));
    const { bytesWritten } = await this.#file.writev!(chunks, this.#progress.bytes);
    let left = bytesWritten;
    for (const chunk of chunks) {
      const n = Math.min(left, chunk.length);
      if (n > 0) {
        written.push(n === chunk.length ? chunk : chunk.subarray(0, n));
        this.#progress.bytes += n;
        left -= n;
      }
      if (n < chunk.length) await this.#writeAll(chunk.subarray(n), written, false);
    }
  }

  /** Writes `chunk` at the end of what is on disk; what reached the file goes to `written`. */
  async #writeAll(chunk: Buffer, written: Buffer[], check = true): Promise<void> {
    if (check) this.#checkLimit(chunk.length);
    let done = 0;
    while (done < chunk.length) {
      const { bytesWritten } = await this.#file.write(
        chunk,
        done,
        chunk.length - done,
        this.#progress.bytes,
      );
      if (bytesWritten <= 0) throw new Error('write made no progress');
      written.push(chunk.subarray(done, done + bytesWritten));
      this.#progress.bytes += bytesWritten;
      done += bytesWritten;
    }
  }

  /** Resolves once no write is in flight (call after the pipeline settled, before reading progress). */
  idle(): Promise<void> {
    return this.#inflight;
  }
}
