// Receives the bytes: each attempt pipes the response body into `.part` through a PartWriter
// (which hashes exactly what reached the file), with backpressure and constant memory. A drop or
// a short body is retried from where it got to; too many bytes, or a disk error, end it.
import { pipeline } from 'node:stream/promises';
import { ProviderError } from '../providers/errors.ts';
import { abortedError, sizeMismatch } from './download-context.ts';
import type { DownloadContext } from './download-context.ts';
import { acceptResponse, openResponse, restartOrThrow, retryOrThrow } from './download-resume.ts';
import { ArchiveError } from './errors.ts';
import { PartWriter } from './part-writer.ts';

/** Fetches until `.part` holds the whole file (as far as the server announced it). */
export async function receive(ctx: DownloadContext): Promise<void> {
  for (;;) {
    const res = await openResponse(ctx);
    if (!(await acceptResponse(ctx, res))) {
      restartOrThrow(ctx);
      continue;
    }
    const startedAt = ctx.progress.bytes;
    const part = ctx.part;
    const writer = new PartWriter(part.file, ctx.progress, ctx.total, () => {
      ctx.report(false);
      part.flushAhead(ctx.progress.bytes);
    });
    ctx.report(true);
    try {
      await pipeline(res.body, writer, ctx.signal === undefined ? {} : { signal: ctx.signal });
    } catch (err) {
      await writer.idle();
      if (ctx.signal?.aborted) throw abortedError(ctx.rel, err);
      if (writer.failure !== null) {
        if (writer.failure instanceof ArchiveError) await ctx.discardAndThrow(writer.failure);
        throw await ctx.fsError(writer.failure, 'writing the download');
      }
      if (err instanceof ProviderError && !err.retryable) throw err;
      await retryOrThrow(ctx, err);
      continue;
    }
    const received = ctx.progress.bytes - startedAt;
    if (res.contentLength !== null && received > res.contentLength) {
      await ctx.discardAndThrow(
        sizeMismatch(ctx.rel, `Got ${received} bytes, Content-Length said ${res.contentLength}`),
      );
    }
    const short =
      (res.contentLength !== null && received < res.contentLength) ||
      (ctx.total !== null && ctx.progress.bytes < ctx.total);
    if (!short) return;
    await retryOrThrow(
      ctx,
      sizeMismatch(
        ctx.rel,
        `The server ended the body early: ${ctx.progress.bytes} of ${ctx.total ?? startedAt + (res.contentLength ?? 0)} bytes; the partial file is kept for resume`,
      ),
    );
  }
}
