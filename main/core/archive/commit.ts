// Moves a finished, fsynced `.part` to its final path without ever replacing an existing file.
import { link, rename, stat, unlink } from 'node:fs/promises';
import { ArchiveError, errnoCode } from './errors.ts';
import { hashFile } from './fs-util.ts';

export type CommitOutcome = 'committed' | 'already_archived';

// link() failures meaning "this filesystem has no hard links" (FAT/exFAT, some network shares).
const NO_HARDLINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Publishes `partPath` at `finalPath`. A hard link is the atomic no-clobber rename (fails with
 * EEXIST); where links are unsupported it falls back to check-then-rename. If the final path
 * already holds the same bytes (a crash after the rename, before the index row) the outcome is
 * `already_archived`; different bytes → ArchiveError `conflict`, the existing file untouched.
 * The `.part` is gone afterwards in both success cases. The caller fsyncs the folder (once for
 * the media file and its sidecar) before anything counts the file as archived.
 */
export async function commitPart(
  partPath: string,
  finalPath: string,
  relativePath: string,
  sha256: string,
  size: number,
): Promise<CommitOutcome> {
  let placed = false;
  try {
    await link(partPath, finalPath);
    placed = true;
  } catch (err) {
    const code = errnoCode(err);
    if (code !== 'EEXIST' && !(code !== null && NO_HARDLINKS.has(code))) throw err;
    if (code !== 'EEXIST' && !(await exists(finalPath))) {
      await rename(partPath, finalPath);
      return 'committed';
    }
  }
  if (placed) {
    await unlink(partPath);
    return 'committed';
  }
  const existing = await hashFile(finalPath);
  if (existing.sha256 === sha256 && existing.size === size) {
    await unlink(partPath);
    return 'already_archived';
  }
  throw new ArchiveError({
    kind: 'conflict',
    message: `A different file (sha256 ${existing.sha256}) is already archived at this path; the new download (sha256 ${sha256}) was not kept`,
    relativePath,
  });
}
