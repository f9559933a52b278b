import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { parseByteRange } from './byte-range.ts';

export interface MediaResponse {
  status: 200 | 206 | 404 | 405 | 416 | 502;
  headers: Record<string, string>;
  body: Readable | null;
}

const PLAYABLE = /^(audio|video)\/[a-z0-9.+-]+(\s*;.*)?$/i;

/** Opens bytes start..end (inclusive) of what is served; `whole` when that is all of it. */
export type OpenBytes = (start: number, end: number, whole: boolean) => Promise<Readable>;

/**
 * Answers GET/HEAD for one archived file with Range support (206, Content-Range, 416), so
 * seeking works in <audio> and <video>. Transport-neutral: the Electron protocol handler and
 * the bridge both send what this returns.
 */
export async function serveFile(
  absolutePath: string,
  contentType: string,
  method: string,
  rangeHeader: string | null | undefined,
): Promise<MediaResponse> {
  if (method !== 'GET' && method !== 'HEAD') return notAllowed();
  let size: number;
  try {
    size = (await fs.promises.stat(absolutePath)).size;
  } catch {
    return { status: 404, headers: {}, body: null };
  }
  return serveBytes(size, contentType, method, rangeHeader, async (start, end) =>
    fs.createReadStream(absolutePath, { start, end }),
  );
}

/**
 * The same answer for bytes that are not a local file (a team vault's object, read by Range
 * GETs): the size is known beforehand, and only the range asked for is opened.
 */
export async function serveBytes(
  size: number,
  contentType: string,
  method: string,
  rangeHeader: string | null | undefined,
  open: OpenBytes,
): Promise<MediaResponse> {
  if (method !== 'GET' && method !== 'HEAD') return notAllowed();
  const base = {
    // Only sound and video are served as what they are: an archived file the provider called
    // text/html or image/svg+xml must not run as a page of the app's origin.
    'Content-Type': PLAYABLE.test(contentType) ? contentType : 'application/octet-stream',
    'Content-Security-Policy': 'sandbox',
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
  const range = parseByteRange(rangeHeader, size);
  if (range.kind === 'unsatisfiable') {
    return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}` }, body: null };
  }
  const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, size - 1];
  const headers: Record<string, string> = { ...base, 'Content-Length': String(end - start + 1) };
  if (range.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  const body =
    method === 'HEAD' || size === 0
      ? null
      : await open(start, end, start === 0 && end === size - 1);
  return { status: range.kind === 'partial' ? 206 : 200, headers, body };
}

function notAllowed(): MediaResponse {
  return { status: 405, headers: { Allow: 'GET, HEAD' }, body: null };
}
