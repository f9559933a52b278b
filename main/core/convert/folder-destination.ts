// An export into a folder: files are converted in a hidden staging folder inside it and linked
// into place with a no-overwrite move.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir } from '../archive/fs-util.ts';
import { syncFile } from '../durable/write-durable.ts';
import { ExportConflictError, type ExportDestination } from './destination.ts';
import { moveNoClobber } from './no-clobber-move.ts';
import { fileNameKey } from './unique-names.ts';

export class FolderDestination implements ExportDestination {
  readonly kind = 'folder';
  readonly path: string;
  #staging: string | null = null;
  #createdFolder = false;
  #written: string[] = [];

  constructor(folder: string) {
    this.path = path.resolve(folder);
  }

  async stage(outputNames: readonly string[]): Promise<void> {
    const made = await fs.mkdir(this.path, { recursive: true });
    this.#createdFolder = made !== undefined;
    const existing = new Set((await fs.readdir(this.path)).map(fileNameKey));
    const conflicts = outputNames.filter((name) => existing.has(fileNameKey(name)));
    if (conflicts.length > 0) {
      await this.abort();
      throw new ExportConflictError(this.path, conflicts);
    }
    this.#staging = await fs.mkdtemp(path.join(this.path, '.recvault-staging-'));
  }

  tempPath(): string {
    if (!this.#staging) throw new Error('FolderDestination.stage() was not called');
    return path.join(this.#staging, `${randomUUID()}.partial`);
  }

  async commitFile(tempPath: string, name: string): Promise<void> {
    const target = this.#target(name);
    // Its bytes reach the disk before it has its name; the names reach it in finish().
    await syncFile(tempPath);
    await moveNoClobber(tempPath, target);
    this.#written.push(target);
  }

  async writeTextFile(name: string, content: string): Promise<void> {
    const temp = this.tempPath();
    await fs.writeFile(temp, content, { flag: 'wx' });
    await this.commitFile(temp, name);
  }

  async finish(): Promise<{ zipSha256: string | null }> {
    await this.#removeStaging();
    // Before export.completed records the hashes, the files it names are on the disk.
    await fsyncDir(this.path);
    return { zipSha256: null };
  }

  async abort(): Promise<void> {
    await this.#removeStaging();
    for (const file of this.#written.splice(0)) await fs.rm(file, { force: true });
    // Only a folder this export created, and only if nothing else appeared in it.
    if (this.#createdFolder) await fs.rmdir(this.path).catch(() => undefined);
  }

  #target(name: string): string {
    const target = path.join(this.path, name);
    // Names are sanitised upstream; this is the last line of defence against a path escape.
    if (path.dirname(target) !== this.path) throw new Error(`Unsafe output name: ${name}`);
    return target;
  }

  async #removeStaging(): Promise<void> {
    if (this.#staging) await fs.rm(this.#staging, { recursive: true, force: true });
    this.#staging = null;
  }
}
