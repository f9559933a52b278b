// Publishes a received `.part`: size and checksum checks, one flush for the media file and its
// companions (the sidecar), a no-clobber move into place, the companions after it, and one
// folder fsync before the download counts as archived.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { commitPart } from './commit.ts';
import { sizeMismatch } from './download-context.ts';
import type { DownloadContext } from './download-context.ts';
import type { ArchivedFile, DownloadResult } from './download.ts';
import { ArchiveError } from './errors.ts';
import { fsyncDirShared, stageFile } from './fs-util.ts';
import type { StagedFile } from './fs-util.ts';
import { resolveInsideArchive } from './inside-archive.ts';
import type { OpenPart } from './open-part.ts';
import { discardPartFiles } from './part-state.ts';

export async function publish(ctx: DownloadContext): Promise<DownloadResult> {
  const part = ctx.part;
  ctx.checkAborted();
  const size = ctx.progress.bytes;
  const sha256 = ctx.progress.hash.digest('hex');
  const expected = ctx.options.expectedSize;
  if ((expected !== null && size !== expected) || (ctx.total !== null && size !== ctx.total)) {
    await ctx.discardAndThrow(
      sizeMismatch(ctx.rel, `Got ${size} bytes, expected ${expected ?? ctx.total}`),
    );
  }
  const wanted = ctx.options.expectedSha256;
  if (wanted !== undefined && wanted !== null && wanted.toLowerCase() !== sha256) {
    await ctx.discardAndThrow(
      new ArchiveError({
        kind: 'integrity',
        message: `SHA-256 ${sha256} differs from the provider's ${wanted}`,
        relativePath: ctx.rel,
      }),
    );
  }
  const archived: ArchivedFile = {
    relativePath: ctx.rel,
    size,
    sha256,
    contentType: ctx.contentType,
  };
  const companions = ctx.options.companions?.(archived) ?? [];
  const { partPath, finalPath, metaPath } = ctx.paths;
  const staged: StagedFile[] = [];
  try {
    // The companions' bytes are flushed while the media file's are: both fsyncs usually ride
    // one journal commit. Nothing is visible yet (temp names).
    const stagedAll = Promise.all(
      companions.map(async (c) => {
        staged.push(await stageFile(await companionPath(ctx, c.relativePath), c.data));
      }),
    );
    const flushed = flushPart(ctx, part, size);
    const [flush, stage] = await Promise.allSettled([flushed, stagedAll]);
    if (flush.status === 'rejected') throw flush.reason;
    if (stage.status === 'rejected') throw await ctx.fsError(stage.reason, 'writing the sidecar');
    const outcome = await ctx
      .fs('moving the download into place', () =>
        commitPart(partPath, finalPath, ctx.rel, sha256, size),
      )
      .catch(async (err: unknown) => {
        if (err instanceof ArchiveError && err.kind === 'conflict') await ctx.discardAndThrow(err);
        throw err;
      });
    // Companions only ever appear next to a published media file, after it.
    while (staged.length > 0) {
      const companion = staged[0]!;
      await ctx.fs('writing the sidecar', () => companion.publish());
      staged.shift();
    }
    await ctx.fs('flushing the archive folder', () => fsyncDirShared(path.dirname(finalPath)));
    await discardPartFiles(partPath, metaPath).catch(() => undefined);
    ctx.report(true);
    return {
      ...archived,
      alreadyArchived: outcome === 'already_archived',
      resumedFrom: ctx.resumedFrom,
      restarts: ctx.restarts,
    };
  } finally {
    await Promise.all(staged.map((s) => s.discard()));
  }
}

/**
 * Flushes `.part` to disk and closes it, then checks its size on disk against the bytes hashed.
 * The SHA-256 needs no re-read: the hash was fed exactly the bytes each write() reported
 * written, at the position they were written to, so it describes the file; a re-read right
 * after would come from the page cache, i.e. check the same kernel buffers the writes filled,
 * not the disk. What could still differ is another process truncating or extending the file,
 * which the size shows.
 */
async function flushPart(ctx: DownloadContext, part: OpenPart, size: number): Promise<void> {
  await ctx.fs('flushing the download to disk', () => part.flush());
  await ctx.fs('closing the download', () => part.close());
  const onDisk = await ctx.fs('checking the download', () => stat(ctx.paths.partPath));
  if (onDisk.size !== size) {
    await ctx.discardAndThrow(
      new ArchiveError({
        kind: 'integrity',
        message: `The partial file on disk holds ${onDisk.size} bytes, not the ${size} received`,
        relativePath: ctx.rel,
      }),
    );
  }
}

/**
 * A companion beside the media file needs no new resolution: its folder was resolved and
 * checked for the media file, and a symlink at its own name would be replaced by the rename,
 * never followed. Anything else goes through `resolveInsideArchive`.
 */
async function companionPath(ctx: DownloadContext, relativePath: string): Promise<string> {
  const name = path.posix.basename(relativePath);
  if (
    path.posix.dirname(relativePath) === path.posix.dirname(ctx.rel) &&
    /^[^/\\]+$/.test(name) &&
    name !== '.' &&
    name !== '..'
  ) {
    return path.join(path.dirname(ctx.paths.finalPath), name);
  }
  return resolveInsideArchive(ctx.paths.realRoot, relativePath);
}
