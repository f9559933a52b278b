// An export into one .zip: files are converted in a hidden staging folder beside the zip, then
// stored (audio does not deflate) into a partial zip that is moved into place when complete.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { fsyncDir } from '../archive/fs-util.ts';
import { syncFile } from '../durable/write-durable.ts';
import { ExportConflictError, type ExportDestination } from './destination.ts';
import { moveNoClobber } from './no-clobber-move.ts';
import { sha256File } from './sha256.ts';

const TEXT_EXTENSIONS = /\.(csv|json)$|^SHA256SUMS$/;

export class ZipDestination implements ExportDestination {
  readonly kind = 'zip';
  readonly path: string;
  readonly #mtime: Date;
  #staging: string | null = null;
  #partialZip: string | null = null;
  #committedZip = false;
  #entries = new Map<string, string>();

  constructor(zipPath: string, mtime: Date = new Date()) {
    this.path = path.resolve(zipPath);
    this.#mtime = mtime;
  }

  async stage(): Promise<void> {
    const exists = await fs.lstat(this.path).then(
      () => true,
      () => false,
    );
    if (exists) throw new ExportConflictError(path.dirname(this.path), [path.basename(this.path)]);
    await fs.mkdir(path.dirname(this.path), { recursive: true });
    this.#staging = await fs.mkdtemp(
      path.join(path.dirname(this.path), `.${path.basename(this.path)}.recvault-staging-`),
    );
  }

  tempPath(): string {
    if (!this.#staging) throw new Error('ZipDestination.stage() was not called');
    return path.join(this.#staging, `${randomUUID()}.partial`);
  }

  async commitFile(tempPath: string, name: string): Promise<void> {
    if (this.#entries.has(name)) throw new Error(`Duplicate zip entry: ${name}`);
    this.#entries.set(name, tempPath);
  }

  async writeTextFile(name: string, content: string): Promise<void> {
    const temp = this.tempPath();
    await fs.writeFile(temp, content, { flag: 'wx' });
    await this.commitFile(temp, name);
  }

  async finish(
    order: readonly string[],
    signal?: AbortSignal,
  ): Promise<{ zipSha256: string | null }> {
    const zip = new yazl.ZipFile();
    const rank = new Map(order.map((name, i) => [name, i]));
    const names = [...this.#entries.keys()].sort(
      (a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity),
    );
    for (const name of names) {
      zip.addFile(this.#entries.get(name)!, name, {
        mtime: this.#mtime,
        compress: TEXT_EXTENSIONS.test(name),
      });
    }
    zip.end();
    this.#partialZip = path.join(
      path.dirname(this.path),
      `.${path.basename(this.path)}.${randomUUID()}.partial`,
    );
    await pipeline(zip.outputStream, createWriteStream(this.#partialZip, { flags: 'wx' }), {
      signal,
    });
    // Flushed before it is hashed and named: export.completed records a zip that is on the disk.
    await syncFile(this.#partialZip);
    const zipSha256 = await sha256File(this.#partialZip, signal);
    await moveNoClobber(this.#partialZip, this.path);
    await fsyncDir(path.dirname(this.path));
    this.#committedZip = true;
    this.#partialZip = null;
    await this.#removeStaging();
    return { zipSha256 };
  }

  async abort(): Promise<void> {
    if (this.#partialZip) await fs.rm(this.#partialZip, { force: true });
    this.#partialZip = null;
    if (this.#committedZip) await fs.rm(this.path, { force: true });
    this.#committedZip = false;
    await this.#removeStaging();
  }

  async #removeStaging(): Promise<void> {
    if (this.#staging) await fs.rm(this.#staging, { recursive: true, force: true });
    this.#staging = null;
    this.#entries.clear();
  }
}
