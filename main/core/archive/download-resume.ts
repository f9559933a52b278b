// Where a download starts and whether a response may continue it: an earlier run's `.part` is
// picked up only when consistent (re-hashed, strong ETag), a resume asks for Range + If-Range,
// and a response that ignores the Range, or comes from a changed file, starts again from 0.
import { open as openFile } from 'node:fs/promises';
import { PRIVATE_FILE_MODE } from '../file-modes.ts';
import { ProviderError } from '../providers/errors.ts';
import type { OpenOptions, RemoteStream } from '../providers/types.ts';
import { abortedError, sizeMismatch } from './download-context.ts';
import type { DownloadContext } from './download-context.ts';
import { ArchiveError } from './errors.ts';
import { hashPrefixInto } from './fs-util.ts';
import { OpenPart } from './open-part.ts';
import { isStrongEtag, loadResumable, writePartState } from './part-state.ts';
import type { OpenPartFile } from './part-writer.ts';

const defaultOpenPartFile: OpenPartFile = (file, flags) => openFile(file, flags, PRIVATE_FILE_MODE);

/** Picks up a consistent `.part` from an earlier run, or starts an empty one. */
export async function preparePart(ctx: DownloadContext): Promise<void> {
  const { partPath, metaPath } = ctx.paths;
  const openPartFile = ctx.options.openPartFile ?? defaultOpenPartFile;
  const resumable = await ctx.fs('reading the partial download', () =>
    loadResumable(partPath, metaPath, ctx.options.expectedSize),
  );
  if (resumable !== null) {
    const hashed = await ctx
      .fs('re-hashing the partial download', () =>
        hashPrefixInto(partPath, ctx.progress.hash, resumable.bytes, ctx.signal),
      )
      .catch((err: unknown) => {
        if (ctx.signal?.aborted) throw abortedError(ctx.rel, err);
        throw err;
      });
    if (hashed === resumable.bytes) {
      const file = await ctx.fs('opening the partial download', () => openPartFile(partPath, 'r+'));
      ctx.resumePart(new OpenPart(file), resumable);
      return;
    }
  }
  const file = await ctx.fs('creating the partial download', () => openPartFile(partPath, 'w'));
  ctx.startPart(new OpenPart(file));
}

/** Asks the provider for the bytes from what is on disk (Range + If-Range when resuming). */
export async function openResponse(ctx: DownloadContext): Promise<RemoteStream> {
  ctx.checkAborted();
  const offset = ctx.progress.bytes;
  const options: OpenOptions = offset > 0 ? { offset, etag: ctx.etag } : { offset: 0, etag: null };
  if (ctx.signal !== undefined) options.signal = ctx.signal;
  try {
    return await ctx.options.open(options);
  } catch (err) {
    if (ctx.signal?.aborted) throw abortedError(ctx.rel, err);
    throw err;
  }
}

/** Every size the response and the provider claim for the whole file; they must agree. */
function announcedTotal(
  res: RemoteStream,
  known: Array<number | null>,
): number | null | 'conflict' {
  const fromLength =
    res.contentLength === null
      ? null
      : res.status === 200
        ? res.contentLength
        : res.startOffset + res.contentLength;
  const claims = [res.totalSize, fromLength, ...known].filter((n): n is number => n !== null);
  const first = claims[0];
  if (first === undefined) return null;
  return claims.every((n) => n === first) ? first : 'conflict';
}

/**
 * Checks a response against what is on disk. Returns false when the body was discarded and
 * the next attempt must start from 0 (counted as a restart).
 */
export async function acceptResponse(ctx: DownloadContext, res: RemoteStream): Promise<boolean> {
  const offset = ctx.progress.bytes;
  if (offset > 0) {
    if (res.status === 200 || res.startOffset === 0) {
      // Range ignored, or If-Range saw a different file: this body is the whole file.
      await ctx.resetToZero();
    } else {
      const changed =
        res.startOffset !== offset ||
        (res.etag !== null && res.etag !== ctx.etag) ||
        (res.totalSize !== null && ctx.total !== null && res.totalSize !== ctx.total);
      if (changed) {
        res.body.destroy();
        await ctx.resetToZero();
        return false;
      }
    }
  } else if (res.status === 206 && res.startOffset !== 0) {
    res.body.destroy();
    await ctx.discardAndThrow(
      sizeMismatch(ctx.rel, `Asked for the whole file, got bytes from ${res.startOffset}`),
    );
  }
  const resumed = ctx.progress.bytes > 0;
  const expectedSize = ctx.options.expectedSize;
  const total = announcedTotal(res, [expectedSize, resumed ? ctx.total : null]);
  if (total === 'conflict') {
    res.body.destroy();
    await ctx.discardAndThrow(
      sizeMismatch(
        ctx.rel,
        `Sizes disagree: provider ${expectedSize ?? '?'}, Content-Length ${res.contentLength ?? '?'}, total ${res.totalSize ?? '?'}`,
      ),
    );
  }
  ctx.recordResponse(total === 'conflict' ? null : total, res.contentType);
  if (!resumed) {
    ctx.startValidator(isStrongEtag(res.etag) ? res.etag : null);
    await ctx.fs('saving the resume state', () =>
      writePartState(ctx.paths.metaPath, {
        version: 1,
        etag: ctx.etag,
        totalSize: ctx.total,
        expectedSize,
        startedAt: new Date().toISOString(),
      }),
    );
  }
  return true;
}

/** The file changed at the provider mid-download: start again from 0, a bounded number of times. */
export function restartOrThrow(ctx: DownloadContext): void {
  if (ctx.restarts >= ctx.maxRestarts) {
    throw new ArchiveError({
      kind: 'integrity',
      message: 'The file kept changing at the provider while downloading',
      relativePath: ctx.rel,
    });
  }
  ctx.countRestart();
}

/** Failed attempt (drop or short body): retry from where it got to, or give up. */
export async function retryOrThrow(ctx: DownloadContext, failure: unknown): Promise<void> {
  if (ctx.restarts >= ctx.maxRestarts) {
    if (failure instanceof ArchiveError || failure instanceof ProviderError) throw failure;
    throw new ArchiveError({
      kind: 'interrupted',
      message: `The connection dropped ${ctx.restarts + 1} times; the partial file is kept for resume`,
      relativePath: ctx.rel,
      cause: failure,
    });
  }
  ctx.countRestart();
  // Without a strong ETag a resumed Range could splice two versions of the file.
  if (ctx.etag === null && ctx.progress.bytes > 0) await ctx.resetToZero();
}
