// The open `<final>.part` of one download: its handle, the background flushes while bytes
// arrive, and the final flush that alone makes the file durable.
import type { PartFile } from './part-writer.ts';

/** How much a large download writes between two background flushes (see flushAhead). */
const FLUSH_AHEAD_BYTES = 64 * 1024 * 1024;

export class OpenPart {
  readonly #file: PartFile;
  #closed = false;
  /** Bytes of `.part` handed to an early flush so far, the flush running, and its failure. */
  #flushedAhead = 0;
  #flushing: Promise<void> | null = null;
  #flushFailure: unknown = null;

  constructor(file: PartFile) {
    this.#file = file;
  }

  /** The handle the writer appends to (and a restart truncates). */
  get file(): PartFile {
    return this.#file;
  }

  /**
   * Large files: every FLUSH_AHEAD_BYTES written, an fdatasync runs in the background while
   * the transfer goes on, so the disk writes overlap the network instead of all waiting for
   * the final flush (which still runs, and alone makes the file durable). A failed early flush
   * fails the download at its end: after a write-back error Linux reports it only once.
   */
  flushAhead(bytesOnDisk: number): void {
    if (this.#file.datasync === undefined || this.#flushing !== null) return;
    if (bytesOnDisk - this.#flushedAhead < FLUSH_AHEAD_BYTES) return;
    this.#flushedAhead = bytesOnDisk;
    this.#flushing = this.#file.datasync().then(
      () => {
        this.#flushing = null;
      },
      (err: unknown) => {
        this.#flushFailure ??= err;
        this.#flushing = null;
      },
    );
  }

  /** fdatasync (its bytes and size, which is all a later read needs), after any early flush. */
  async flush(): Promise<void> {
    await this.#flushing;
    if (this.#flushFailure !== null) throw this.#flushFailure;
    await (this.#file.datasync === undefined ? this.#file.sync() : this.#file.datasync());
  }

  /** Closes the handle; a failure to close is the caller's to report. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#file.close();
  }

  /** Closes the handle if still open, once any early flush is done; never throws. */
  async closeQuietly(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#flushing;
    await this.#file.close().catch(() => undefined);
  }
}
