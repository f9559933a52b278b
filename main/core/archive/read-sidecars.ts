// For `reindex`: every sidecar in the archive, parsed, with the problems of unreadable ones.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { realArchiveRoot } from './inside-archive.ts';
import { readSidecarFile, SIDECAR_SUFFIX } from './sidecar.ts';
import type { Sidecar, SidecarRead } from './sidecar.ts';
import { walkArchive } from './walk.ts';

export type SidecarEntry =
  | {
      ok: true;
      /** The sidecar's own relative path (`<media>.json`). */
      relativePath: string;
      mediaRelativePath: string;
      sidecar: Sidecar;
      /** Size of the media file on disk; null if it is missing. */
      mediaSize: number | null;
    }
  | {
      ok: false;
      relativePath: string;
      mediaRelativePath: string;
      problem: Exclude<SidecarRead, { ok: true }>['problem'] | 'path_differs';
      message: string;
    };

/**
 * Walks the archive and yields each sidecar. A sidecar naming another media path than the one
 * it sits beside is reported as `path_differs` (files were moved by hand). Throws
 * ArchiveError 'archive_missing' if the root is gone.
 */
export async function* readArchiveSidecars(archiveRoot: string): AsyncGenerator<SidecarEntry> {
  const realRoot = await realArchiveRoot(archiveRoot);
  for await (const entry of walkArchive(realRoot)) {
    if (entry.kind !== 'sidecar') continue;
    const relativePath = entry.relativePath;
    const mediaRelativePath = relativePath.slice(0, -SIDECAR_SUFFIX.length);
    const read = await readSidecarFile(path.join(realRoot, ...relativePath.split('/')));
    if (!read.ok) {
      yield {
        ok: false,
        relativePath,
        mediaRelativePath,
        problem: read.problem,
        message: read.message,
      };
      continue;
    }
    if (read.sidecar.file.relativePath !== mediaRelativePath) {
      yield {
        ok: false,
        relativePath,
        mediaRelativePath,
        problem: 'path_differs',
        message: `Sidecar names ${read.sidecar.file.relativePath}`,
      };
      continue;
    }
    const media = await stat(path.join(realRoot, ...mediaRelativePath.split('/'))).catch(
      () => null,
    );
    yield {
      ok: true,
      relativePath,
      mediaRelativePath,
      sidecar: read.sidecar,
      mediaSize: media !== null && media.isFile() ? media.size : null,
    };
  }
}
