// Turns a download reply into the engine's RemoteStream, and guards the body: a body that ends
// before its Content-Length, breaks, or stalls becomes a `transient` error the engine resumes
// from with a Range request, never a silently short file.
import { withDetails } from '../contract/failure-details.ts';
import { PassThrough, Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { PROVIDER_LABELS, ProviderError } from './errors.ts';
import { findErrorCode } from './http/error-from-reply.ts';
import { discardReply } from './http/reply.ts';
import type { AnyReply } from './http/reply.ts';
import type { OpenOptions, ProviderKind, RemoteStream } from './types.ts';

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
/**
 * The least a flowing body must bring in every trickle window of four idle timeouts (256 KiB in
 * four minutes by default, about 1 KiB/s): a server that trickles a byte now and then never trips
 * the idle timer, yet would hold a download slot for days. Windows in which the consumer held the body back do not
 * count. Sizes of a whole file carry no deadline: a 2 GiB recording may take its time.
 */
export const TRICKLE_MIN_BYTES = 256 * 1024;

/** Request headers for a download: identity encoding, and Range / If-Range for a resume. */
export function rangeHeaders(options: OpenOptions = {}): Record<string, string> {
  // Byte offsets, Content-Length and the checksum are about the stored bytes, so no gzip.
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  const offset = options.offset ?? 0;
  if (offset <= 0) return headers;
  headers.range = `bytes=${offset}-`;
  // If-Range makes a changed file come back whole (200) instead of spliced onto old bytes.
  if (options.etag) headers['if-range'] = options.etag;
  return headers;
}

export interface ContentRange {
  start: number;
  end: number;
  total: number | null;
}

/** Parses `bytes 100-199/1000` (total may be `*`). */
export function parseContentRange(header: string | null): ContentRange | null {
  const match = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(header?.trim() ?? '');
  if (!match) return null;
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (end < start) return null;
  return { start, end, total: match[3] === '*' ? null : Number(match[3]) };
}

function parseLength(header: string | null): number | null {
  if (!header || !/^\d+$/.test(header.trim())) return null;
  return Number(header.trim());
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * Cleans a provider-supplied file name for display and search: keeps the last path segment,
 * drops control characters and NUL, defuses Windows reserved names, bounds the length.
 * The result is still never used as a path (the archive layout uses recording ids).
 */
export function cleanFileName(name: string | null | undefined): string | null {
  if (!name) return null;
  let out = name.replace(/[\u0000-\u001f\u007f]/g, '');
  out = out.split(/[\\/]/).pop() ?? '';
  out = out.replace(/[<>:"|?*]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '');
  if (WINDOWS_RESERVED.test(out)) out = `_${out}`;
  if (out.length > 200) {
    const ext = /\.[A-Za-z0-9]{1,8}$/.exec(out)?.[0] ?? '';
    out = out.slice(0, 200 - ext.length) + ext;
  }
  return out || null;
}

/** The file name of a Content-Disposition header (filename* per RFC 6266 preferred), cleaned. */
export function contentDispositionFileName(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (star?.[2]) {
    try {
      return cleanFileName(decodeURIComponent(star[2].trim()));
    } catch {
      // fall through to the plain form
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted?.[1] !== undefined) return cleanFileName(quoted[1].replace(/\\(.)/g, '$1'));
  const bare = /filename\s*=\s*([^;\s]+)/i.exec(header);
  return cleanFileName(bare?.[1] ?? null);
}

export interface StreamContext {
  provider: ProviderKind;
  /** Endpoint template or storage host, never a signed URL. */
  endpoint: string;
  /** The offset asked for (0 when not resuming). */
  requestedOffset: number;
  /** Size from the provider's metadata, when the reply does not say. */
  knownSize?: number | null;
  /** The provider's suggested name (Content-Disposition of an earlier redirect, say). */
  fileName?: string | null;
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

/** Wraps a 200/206 reply. Other statuses must be handled by the caller before. */
export function toRemoteStream(response: AnyReply, context: StreamContext): RemoteStream {
  const label = PROVIDER_LABELS[context.provider];
  const fail = (
    message: string,
    kind: 'invalid_response' | 'transient',
    cause?: unknown,
  ): ProviderError =>
    new ProviderError({
      provider: context.provider,
      kind,
      endpoint: context.endpoint,
      message: withDetails(
        `${label} ${message}. ${
          kind === 'transient'
            ? 'Recvault retries the download by itself; if it keeps failing, retry later.'
            : `Retry; if it happens again, report it to ${label}.`
        }`,
        [`HTTP ${response.status} from ${context.endpoint}`],
      ),
      status: response.status,
      requestId: response.headers.get('x-request-id'),
      cause,
    });

  if (response.status !== 200 && response.status !== 206) {
    throw fail(`answered HTTP ${response.status} where a file was expected`, 'invalid_response');
  }
  const contentLength = parseLength(response.headers.get('content-length'));
  let startOffset = 0;
  let totalSize: number | null;
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get('content-range'));
    if (!range || range.start !== context.requestedOffset) {
      discardReply(response);
      throw fail('sent a partial reply that does not start where asked', 'invalid_response');
    }
    startOffset = range.start;
    totalSize = range.total ?? context.knownSize ?? null;
  } else {
    totalSize = contentLength ?? context.knownSize ?? null;
  }
  const acceptRanges =
    response.status === 206 || /\bbytes\b/i.test(response.headers.get('accept-ranges') ?? '');
  const fileName =
    contentDispositionFileName(response.headers.get('content-disposition')) ??
    context.fileName ??
    null;
  return {
    body: guardBody(response, contentLength, context, (m, cause) => fail(m, 'transient', cause)),
    status: response.status,
    startOffset,
    contentLength,
    totalSize,
    etag: response.headers.get('etag'),
    acceptRanges,
    contentType: response.headers.get('content-type'),
    fileName,
  };
}

function guardBody(
  response: AnyReply,
  expected: number | null,
  context: StreamContext,
  transient: (message: string, cause?: unknown) => ProviderError,
): Readable {
  const out = new PassThrough();
  if (!response.body) {
    if (expected) out.destroy(transient(`sent no body (expected ${expected} bytes)`));
    else out.end();
    return out;
  }
  const source =
    response.body instanceof Readable
      ? response.body
      : Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  const idleMs = context.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  let received = 0;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  let windowBytes = 0;
  let heldBack = false;
  const trickleWindowMs = 4 * idleMs;
  const trickleCheck = setInterval(() => {
    // No byte at all is a stall, the idle timer's to name.
    if (!heldBack && windowBytes > 0 && windowBytes < TRICKLE_MIN_BYTES) {
      stop(
        transient(`sent the file too slowly (only ${windowBytes} bytes in ${trickleWindowMs} ms)`),
      );
    }
    windowBytes = 0;
    heldBack = false;
  }, trickleWindowMs);
  trickleCheck.unref();

  /** Ends the guard's own work (timer, abort link); false when it had ended already. */
  const settle = (): boolean => {
    if (finished) return false;
    finished = true;
    clearTimeout(timer);
    clearInterval(trickleCheck);
    context.signal?.removeEventListener('abort', onAbort);
    return true;
  };
  const stop = (error: unknown): void => {
    if (!settle()) return;
    source.destroy();
    out.destroy(error as Error);
  };
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(
      () => stop(transient(`stopped sending the file part-way (nothing for ${idleMs} ms)`)),
      idleMs,
    );
  };
  const onAbort = (): void => stop(context.signal?.reason);
  if (context.signal?.aborted) {
    queueMicrotask(onAbort);
  } else {
    context.signal?.addEventListener('abort', onAbort, { once: true });
  }

  source.on('data', (chunk: Buffer) => {
    received += chunk.length;
    windowBytes += chunk.length;
    if (expected !== null && received > expected) {
      stop(transient(`sent more of the file than it announced (${expected} bytes)`));
      return;
    }
    if (out.write(chunk)) {
      arm();
    } else {
      // The consumer is slow, not the server: no idle timer while we hold the source back.
      clearTimeout(timer);
      heldBack = true;
      source.pause();
    }
  });
  out.on('drain', () => {
    if (finished) return;
    arm();
    source.resume();
  });
  source.on('end', () => {
    if (expected !== null && received < expected) {
      stop(transient(`ended the file early (${received} of ${expected} bytes)`));
      return;
    }
    settle();
    out.end();
  });
  source.on('error', (error) => {
    if (context.signal?.aborted) return stop(context.signal.reason);
    const code = findErrorCode(error);
    stop(
      transient(`broke off the download after ${received} bytes${code ? ` (${code})` : ''}`, error),
    );
  });
  out.on('close', () => {
    // The consumer gave up: release the connection.
    if (!finished) {
      finished = true;
      clearTimeout(timer);
      clearInterval(trickleCheck);
      context.signal?.removeEventListener('abort', onAbort);
      source.destroy();
    }
  });
  arm();
  return out;
}
