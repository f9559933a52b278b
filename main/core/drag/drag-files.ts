import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { resolveInsideArchive } from '../archive/inside-archive.ts';
import { AppError } from '../app-error.ts';
import type { ExportFormat } from '../contract/types.ts';
import { runExport } from '../convert/index.ts';
import type { Recording } from '../db/recording-row.ts';
import { exportSource } from '../export/export-sources.ts';

/** What the renderer may send with a drag: ids only, never paths. */
export const dragRequestSchema = z.array(z.number().int().positive()).min(1).max(1000);

/** What dragging needs of the engine, and nothing more. */
export interface DragFilesDeps {
  recording: (id: number) => Recording;
  accountName: (accountId: number) => string;
  dragFormat: () => ExportFormat;
  archiveDir: () => string;
  cacheDir: string;
}

/**
 * The files handed to the OS for a drag: the archived originals, or, when the user chose a
 * drag format, converted copies prepared in the cache. One per engine, so the conversions in
 * flight belong to the engine that started them (and its close waits for them).
 */
export class DragFiles {
  readonly #deps: DragFilesDeps;
  readonly #preparing = new Map<string, Promise<void>>();
  readonly #stop = new AbortController();

  constructor(deps: DragFilesDeps) {
    this.#deps = deps;
  }

  /**
   * The files for a drag of these recordings (a copy not ready yet is prepared in the
   * background and the original goes this time). Every path is checked to be inside the
   * archive or the cache, and to exist.
   */
  async files(recordingIds: readonly number[]): Promise<string[]> {
    const format = this.#deps.dragFormat();
    const files: string[] = [];
    for (const id of recordingIds) {
      const recording = this.#deps.recording(id);
      if (recording.state !== 'archived' || !recording.localPath || !recording.sha256) {
        throw new AppError('not_found', `Recording ${recording.remoteId} is not archived yet.`);
      }
      let file = await resolveInsideArchive(this.#deps.archiveDir(), recording.localPath);
      if (format !== 'original') {
        const cached = await this.#cached(recording.sha256, format);
        if (cached) file = cached;
        else this.#convert(recording, format);
      }
      this.assertServable(file);
      files.push(file);
    }
    return files;
  }

  /**
   * Prepares the drag copies of the selected recordings in the background, so a drag right
   * after selecting hands over the chosen format. Returns how many conversions it started.
   */
  async prepareCopies(recordingIds: readonly number[]): Promise<number> {
    const format = this.#deps.dragFormat();
    if (format === 'original') return 0;
    let started = 0;
    for (const id of recordingIds) {
      const recording = this.#deps.recording(id);
      if (recording.state !== 'archived' || !recording.sha256) continue;
      if (await this.#cached(recording.sha256, format)) continue;
      if (this.#convert(recording, format)) started++;
    }
    return started;
  }

  /** Resolves when every drag copy being prepared is done (tests). */
  async settled(): Promise<void> {
    await Promise.all(this.#preparing.values());
  }

  /** Stops the conversions in flight (their partial copies are removed) and waits for them. */
  async close(): Promise<void> {
    this.#stop.abort();
    await this.settled();
  }

  /** A path handed to the OS must lie inside the archive or the cache, whatever the index says. */
  assertServable(file: string): void {
    const resolved = path.resolve(file);
    const inside = [this.#deps.archiveDir(), this.#deps.cacheDir].some((root) =>
      resolved.startsWith(path.resolve(root) + path.sep),
    );
    if (!inside || !fs.existsSync(resolved)) {
      throw new AppError('not_found', 'Refused to drag a file outside the archive.');
    }
  }

  #dir(sha256: string, format: string): string {
    return path.join(this.#deps.cacheDir, 'drag', `${sha256}-${format}`);
  }

  async #cached(sha256: string, format: string): Promise<string | null> {
    const dir = this.#dir(sha256, format);
    const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
    const media = names.filter((n) => !/^(manifest\.(csv|json)|SHA256SUMS)$/.test(n));
    return media.length === 1 ? path.join(dir, media[0]!) : null;
  }

  #convert(recording: Recording, format: Exclude<ExportFormat, 'original'>): boolean {
    const key = `${recording.sha256}-${format}`;
    if (this.#preparing.has(key) || this.#stop.signal.aborted) return false;
    const dir = this.#dir(recording.sha256!, format);
    const source = exportSource(
      recording,
      this.#deps.accountName(recording.accountId),
      this.#deps.archiveDir(),
    );
    const run = runExport({
      sources: [source],
      options: { format },
      destination: { kind: 'folder', path: dir },
      concurrency: 1,
      signal: this.#stop.signal,
    })
      .then(
        () => undefined,
        () => fs.promises.rm(dir, { recursive: true, force: true }),
      )
      .finally(() => this.#preparing.delete(key));
    this.#preparing.set(key, run);
    return true;
  }
}
