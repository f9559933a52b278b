import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { resolveInsideArchive } from '../archive/inside-archive.ts';
import { AppError } from '../app-error.ts';
import type { Engine } from '../engine.ts';
import { runExport } from '../convert/index.ts';
import { exportSource } from '../export/export-sources.ts';
import { listAccounts } from '../db/accounts.ts';

/** What the renderer may send with a drag: ids only, never paths. */
export const dragRequestSchema = z.array(z.number().int().positive()).min(1).max(1000);

/**
 * The files to hand the OS for a drag of these recordings: the archived originals, or, when the
 * user chose a drag format, converted copies already prepared in the cache (a copy not ready
 * yet is prepared in the background and the original goes this time). Every path is checked to
 * be inside the archive or the cache, and to exist.
 */
export async function dragFiles(
  engine: Engine,
  recordingIds: readonly number[],
): Promise<string[]> {
  const format = engine.settings.view().dragFormat;
  const files: string[] = [];
  for (const id of recordingIds) {
    const recording = engine.library.require(id);
    if (recording.state !== 'archived' || !recording.localPath || !recording.sha256) {
      throw new AppError('not_found', `Recording ${recording.remoteId} is not archived yet.`);
    }
    const original = await resolveInsideArchive(engine.archiveDir(), recording.localPath);
    let file = original;
    if (format !== 'original') {
      const cached = await cachedConversion(engine, recording.sha256, format);
      if (cached) file = cached;
      else prepareConversion(engine, id, format);
    }
    assertServable(engine, file);
    files.push(file);
  }
  return files;
}

function dragCacheDir(engine: Engine, sha256: string, format: string): string {
  return path.join(engine.paths.cacheDir, 'drag', `${sha256}-${format}`);
}

async function cachedConversion(
  engine: Engine,
  sha256: string,
  format: string,
): Promise<string | null> {
  const dir = dragCacheDir(engine, sha256, format);
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  const media = names.filter((n) => !/^(manifest\.(csv|json)|SHA256SUMS)$/.test(n));
  return media.length === 1 ? path.join(dir, media[0]!) : null;
}

/**
 * Prepares the drag copies of the selected recordings in the background, so a drag right
 * after selecting hands over the chosen format. Returns how many conversions it started.
 */
export async function prepareDragCopies(
  engine: Engine,
  recordingIds: readonly number[],
): Promise<number> {
  const format = engine.settings.view().dragFormat;
  if (format === 'original') return 0;
  let started = 0;
  for (const id of recordingIds) {
    const recording = engine.library.require(id);
    if (recording.state !== 'archived' || !recording.sha256) continue;
    if (await cachedConversion(engine, recording.sha256, format)) continue;
    if (prepareConversion(engine, id, format)) started++;
  }
  return started;
}

const preparing = new Map<string, Promise<void>>();

/** Resolves when every drag copy being prepared is done (tests, shutdown). */
export async function dragCopiesSettled(): Promise<void> {
  await Promise.all(preparing.values());
}

function prepareConversion(
  engine: Engine,
  id: number,
  format: Exclude<string, 'original'>,
): boolean {
  const recording = engine.library.require(id);
  const key = `${recording.sha256}-${format}`;
  if (preparing.has(key)) return false;
  const names = new Map(
    listAccounts(engine.db, { includeRemoved: true }).map((a) => [a.id, a.name]),
  );
  const dir = dragCacheDir(engine, recording.sha256!, format);
  const run = runExport({
    sources: [exportSource(recording, names.get(recording.accountId) ?? '', engine.archiveDir())],
    options: { format: format as 'mp3' },
    destination: { kind: 'folder', path: dir },
    concurrency: 1,
  })
    .then(
      () => undefined,
      () => fs.promises.rm(dir, { recursive: true, force: true }),
    )
    .finally(() => preparing.delete(key));
  preparing.set(key, run);
  return true;
}

/** A path handed to the OS must lie inside the archive or the cache, whatever the index says. */
export function assertServable(engine: Engine, file: string): void {
  const resolved = path.resolve(file);
  const inside = [engine.archiveDir(), engine.paths.cacheDir].some((root) => {
    const base = path.resolve(root);
    return resolved.startsWith(base + path.sep);
  });
  if (!inside || !fs.existsSync(resolved)) {
    throw new AppError('not_found', 'Refused to drag a file outside the archive.');
  }
}
