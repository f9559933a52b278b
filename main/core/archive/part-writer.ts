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
    this.#start(buffers.length === 1 ? buffers[0]! : Buffer.concat(buffers), callback);
  }

  #start(chunk: Buffer, callback: (err?: Error) => void): void {
    const run = this.#writeAll(chunk);
    this.#inflight = run.then(
      () => undefined,
      () => undefined,
    );
    run.then(
      () => callback(),
      (err: unknown) => {
        this.failure = err;
        callback(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  async #writeAll(chunk: Buffer): Promise<void> {
    if (this.#limit !== null && this.#progress.bytes + chunk.length > this.#limit) {
      throw new ArchiveError({
        kind: 'size_mismatch',
        message: `The server sent more than the expected ${this.#limit} bytes`,
      });
    }
    let done = 0;
    while (done < chunk.length) {
      const { bytesWritten } = await this.#file.write(
        chunk,
        done,
        chunk.length - done,
        this.#progress.bytes,
      );
      if (bytesWritten <= 0) throw new Error('write made no progress');
      this.#progress.hash.update(chunk.subarray(done, done + bytesWritten));
      this.#progress.bytes += bytesWritten;
      done += bytesWritten;
    }
    this.#onBytes();
  }

  /** Resolves once no write is in flight (call after the pipeline settled, before reading progress). */
  idle(): Promise<void> {
    return this.#inflight;
  }
}
