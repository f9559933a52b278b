// Byte-safe download of one recording into the archive. The steps share a DownloadContext:
// download-resume.ts (where to start, whether a response may continue the `.part`),
// download-receive.ts (the bytes into `.part`, hashed), download-publish.ts (into place).
//
// Bytes stream into `<final>.part` (same folder, so the final rename is atomic) through a
// SHA-256 that only ever sees bytes that reached the file; memory stays constant (stream
// pipeline with backpressure). `<final>.part.json` holds the strong ETag and sizes so a later
// run resumes with Range + If-Range after re-hashing the bytes already on disk. The final path
// only ever receives a complete, size-checked, fsynced file, and never replaces an existing one.
//
// Skipping already-archived recordings: before calling this, the engine skips a recording whose
// index row exists and whose file passes `isAlreadyArchived` (providers give no checksum up
// front, so a re-download is the only way to learn the remote bytes' hash). If the final path
// already holds identical bytes (e.g. a crash after the rename, before the index row), the
// download resolves with `alreadyArchived: true` and leaves that file untouched; different
// bytes → ArchiveError 'conflict'.
import path from 'node:path';
import type { OpenOptions, RemoteStream } from '../providers/types.ts';
import { DownloadContext } from './download-context.ts';
import { publish } from './download-publish.ts';
import { receive } from './download-receive.ts';
import { preparePart } from './download-resume.ts';
import { errnoCode, fromFsError } from './errors.ts';
import { hashFile, mkdirBelowRoot, removeStaleTempFilesOnce, rootExists } from './fs-util.ts';
import { resolveInsideArchive } from './inside-archive.ts';
import { discardPartFiles } from './part-state.ts';
import type { OpenPartFile } from './part-writer.ts';

export interface DownloadOptions {
  /** Opens the recording's bytes (ProviderClient.open bound to one recording). */
  open: (options: OpenOptions) => Promise<RemoteStream>;
  /** The provider's metadata size, if it gave one; a different byte count is an error. */
  expectedSize: number | null;
  /** Optional checksum from the provider; a different SHA-256 is an 'integrity' error. */
  expectedSha256?: string | null;
  archiveRoot: string;
  /** From `archiveRelativePath`; checked with `resolveInsideArchive`. */
  relativePath: string;
  signal?: AbortSignal;
  /** Throttled to about 10 calls a second, plus one at the end. */
  onProgress?: (bytesDone: number, totalBytes: number | null) => void;
  /** Re-opens allowed after a dropped connection or a changed file. Default 3. */
  maxRestarts?: number;
  /** Test seam: how the `.part` file is opened. */
  openPartFile?: OpenPartFile;
  /**
   * Small files published with the media file (its sidecar), built from the finished file's
   * size and SHA-256. Each is written to a temp file and flushed while the media file is
   * flushed, renamed into place right after the media file is published, and one folder fsync
   * covers the media file and them before the download resolves.
   */
  companions?: (file: ArchivedFile) => Array<{ relativePath: string; data: string }>;
}

/** The finished file, as a companion (the sidecar) describes it. */
export interface ArchivedFile {
  relativePath: string;
  size: number;
  sha256: string;
  /** The server's Content-Type for the bytes (may differ from the discovery metadata). */
  contentType: string | null;
}

export interface DownloadResult extends ArchivedFile {
  /** True when the final path already held these exact bytes (nothing was replaced). */
  alreadyArchived: boolean;
  /** Bytes reused from an earlier run's `.part`. */
  resumedFrom: number;
  /** Re-opens this call needed. */
  restarts: number;
}

/**
 * Downloads one recording into `<archiveRoot>/<relativePath>` (see the file comment).
 * Throws ArchiveError (disk_full, permission, archive_missing, size_mismatch, integrity,
 * aborted, unsafe_path, conflict, interrupted, io) or passes a ProviderError from `open` through.
 * On aborted / disk_full / permission / interrupted the `.part` stays for resume; on
 * size_mismatch from contradictory sizes, integrity or conflict it is deleted.
 */
export async function downloadToArchive(options: DownloadOptions): Promise<DownloadResult> {
  const ctx = await DownloadContext.create(options);
  ctx.checkAborted();
  const folder = path.dirname(ctx.paths.finalPath);
  const dir = path.relative(ctx.paths.realRoot, folder);
  await ctx.fs('creating folders', () => mkdirBelowRoot(ctx.paths.realRoot, dir));
  // A kill between an atomic write's temp file and its rename leaves `.<name>.tmp-<hex>`
  // (resume state, sidecar): swept from the folder before anything is written into it.
  await ctx.fs('removing stale temp files', () => removeStaleTempFilesOnce(folder));
  try {
    await preparePart(ctx);
    if (ctx.total === null || ctx.progress.bytes < ctx.total) await receive(ctx);
    return await publish(ctx);
  } finally {
    await ctx.closePart();
  }
}

/**
 * True when `<root>/<relativePath>` exists with this SHA-256 (and size, if given). Hashes the
 * whole file (streaming). Missing file → false; unsafe path, vanished root or an unreadable
 * file → throws ArchiveError.
 */
export async function isAlreadyArchived(
  archiveRoot: string,
  relativePath: string,
  sha256: string,
  size?: number | null,
): Promise<boolean> {
  const file = await resolveInsideArchive(archiveRoot, relativePath);
  try {
    const actual = await hashFile(file);
    return actual.sha256 === sha256.toLowerCase() && (size == null || actual.size === size);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'EISDIR') return false;
    throw fromFsError(
      err,
      'checking an archived file',
      relativePath,
      await rootExists(archiveRoot),
    );
  }
}

/** Deletes a recording's `.part` and resume state (job cancelled for good). */
export async function discardPartial(archiveRoot: string, relativePath: string): Promise<void> {
  const file = await resolveInsideArchive(archiveRoot, relativePath);
  await discardPartFiles(file + '.part', file + '.part.json');
}
