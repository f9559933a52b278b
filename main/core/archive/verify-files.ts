// Re-checks the archive against the index: every expected file is re-hashed (streaming), and
// the walk reports media files the index does not know, leftover partials and sidecar problems.
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ArchiveError, errnoCode } from './errors.ts';
import { hashFile } from './fs-util.ts';
import { realArchiveRoot, resolveInsideArchive } from './inside-archive.ts';
import { readSidecarFile, sidecarPathFor, SIDECAR_SUFFIX } from './sidecar.ts';
import type { Sidecar, SidecarRead } from './sidecar.ts';
import { walkArchive } from './walk.ts';

export interface ExpectedFile {
  relativePath: string;
  sha256: string;
  size: number;
}

export interface VerifyProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export type SidecarProblem =
  | Exclude<SidecarRead, { ok: true }>['problem']
  | 'missing'
  | 'sha_differs'
  | 'size_differs'
  | 'path_differs';

export interface VerifyReport {
  /** Expected files looked at. */
  checked: number;
  /** Present with the indexed size and SHA-256. */
  ok: number;
  missing: ExpectedFile[];
  altered: Array<ExpectedFile & { actualSize: number; actualSha256: string | null }>;
  /** Indexed paths that are unsafe (escape the root) or could not be read. */
  unreadable: Array<{ relativePath: string; message: string }>;
  /** Media files under the root the index does not list. */
  unindexed: string[];
  /** Leftover `.part` / `.part.json` files (downloads to resume or discard). */
  partials: string[];
  /** Symlinks found in the archive (never followed). */
  symlinks: string[];
  /** Sidecars that disagree with the index or cannot be read. */
  sidecarMismatches: Array<{ relativePath: string; problem: SidecarProblem; message: string }>;
  /** Sidecars whose media file is gone. */
  orphanSidecars: string[];
}

function sidecarProblem(
  expected: ExpectedFile,
  read: SidecarRead,
): VerifyReport['sidecarMismatches'][number] | null {
  const relativePath = sidecarPathFor(expected.relativePath);
  if (!read.ok) return { relativePath, problem: read.problem, message: read.message };
  const file: Sidecar['file'] = read.sidecar.file;
  if (file.relativePath !== expected.relativePath) {
    return { relativePath, problem: 'path_differs', message: `Sidecar names ${file.relativePath}` };
  }
  if (file.sha256 !== expected.sha256.toLowerCase()) {
    return {
      relativePath,
      problem: 'sha_differs',
      message: `Sidecar SHA-256 ${file.sha256}, index ${expected.sha256}`,
    };
  }
  if (file.size !== expected.size) {
    return {
      relativePath,
      problem: 'size_differs',
      message: `Sidecar size ${file.size}, index ${expected.size}`,
    };
  }
  return null;
}

/**
 * Verifies every expected file, then walks the archive for unindexed media. Throws
 * ArchiveError 'archive_missing' if the root is gone, 'aborted' on the signal.
 */
export async function verifyArchiveFiles(
  archiveRoot: string,
  expected: Iterable<ExpectedFile>,
  onProgress?: (progress: VerifyProgress) => void,
  signal?: AbortSignal,
): Promise<VerifyReport> {
  const realRoot = await realArchiveRoot(archiveRoot);
  const files = Array.from(expected);
  const report: VerifyReport = {
    checked: 0,
    ok: 0,
    missing: [],
    altered: [],
    unreadable: [],
    unindexed: [],
    partials: [],
    symlinks: [],
    sidecarMismatches: [],
    orphanSidecars: [],
  };
  const progress: VerifyProgress = {
    filesDone: 0,
    filesTotal: files.length,
    bytesDone: 0,
    bytesTotal: files.reduce((sum, f) => sum + f.size, 0),
  };
  let lastReport = 0;
  const tick = (force: boolean) => {
    const now = performance.now();
    if (onProgress === undefined || (!force && now - lastReport < 100)) return;
    lastReport = now;
    onProgress({ ...progress });
  };
  const checkAborted = () => {
    if (signal?.aborted) {
      throw new ArchiveError({
        kind: 'aborted',
        message: 'Verification cancelled',
        cause: signal.reason,
      });
    }
  };
  const known = new Set<string>();
  tick(true);
  for (const file of files) {
    checkAborted();
    known.add(file.relativePath);
    report.checked += 1;
    await verifyOne(
      realRoot,
      file,
      report,
      (n) => {
        progress.bytesDone += n;
        tick(false);
      },
      signal,
    );
    progress.filesDone += 1;
    tick(false);
  }
  for await (const entry of walkArchive(realRoot)) {
    checkAborted();
    if (entry.kind === 'media' && !known.has(entry.relativePath))
      report.unindexed.push(entry.relativePath);
    else if (entry.kind === 'partial') report.partials.push(entry.relativePath);
    else if (entry.kind === 'symlink') report.symlinks.push(entry.relativePath);
    else if (entry.kind === 'sidecar') {
      const media = entry.relativePath.slice(0, -SIDECAR_SUFFIX.length);
      if (!known.has(media) && !(await exists(path.join(realRoot, ...media.split('/'))))) {
        report.orphanSidecars.push(entry.relativePath);
      }
    }
  }
  tick(true);
  return report;
}

async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null)) !== null;
}

async function verifyOne(
  realRoot: string,
  file: ExpectedFile,
  report: VerifyReport,
  onBytes: (n: number) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  let absolute: string;
  try {
    absolute = await resolveInsideArchive(realRoot, file.relativePath);
  } catch (err) {
    if (err instanceof ArchiveError && err.kind === 'archive_missing') throw err;
    report.unreadable.push({ relativePath: file.relativePath, message: (err as Error).message });
    return;
  }
  const st = await stat(absolute).catch((err: unknown) => err);
  if (st instanceof Error) {
    if (errnoCode(st) === 'ENOENT') report.missing.push(file);
    else report.unreadable.push({ relativePath: file.relativePath, message: st.message });
    return;
  }
  if (!(st as Stats).isFile()) {
    report.unreadable.push({ relativePath: file.relativePath, message: 'Not a regular file' });
    return;
  }
  const size = (st as Stats).size;
  if (size !== file.size) {
    report.altered.push({ ...file, actualSize: size, actualSha256: null });
    onBytes(file.size);
  } else {
    try {
      const actual = await hashFile(absolute, onBytes, signal);
      if (actual.sha256 === file.sha256.toLowerCase() && actual.size === file.size) report.ok += 1;
      else report.altered.push({ ...file, actualSize: actual.size, actualSha256: actual.sha256 });
    } catch (err) {
      if (signal?.aborted)
        throw new ArchiveError({ kind: 'aborted', message: 'Verification cancelled', cause: err });
      report.unreadable.push({ relativePath: file.relativePath, message: (err as Error).message });
    }
  }
  const sidecar = await readSidecarFile(absolute + SIDECAR_SUFFIX);
  if (!sidecar.ok && sidecar.problem === 'unreadable') {
    const present = await exists(absolute + SIDECAR_SUFFIX);
    if (!present) {
      report.sidecarMismatches.push({
        relativePath: sidecarPathFor(file.relativePath),
        problem: 'missing',
        message: 'No sidecar',
      });
      return;
    }
  }
  const problem = sidecarProblem(file, sidecar);
  if (problem !== null) report.sidecarMismatches.push(problem);
}
