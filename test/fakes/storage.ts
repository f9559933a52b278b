// A fake object-storage host on its own 127.0.0.1 port, so a redirect to it really goes to a
// different origin. Files are served only by HMAC-signed, expiring URLs, with Range, If-Range,
// ETag and HEAD. Every request's headers are recorded so tests can prove no credential reached it.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaults, sendBody } from './faults.ts';
import type { Faults } from './faults.ts';
import { closeServer } from './close-server.ts';

export interface StoredFile {
  data: Buffer;
  contentType: string;
  etag: string;
  sha256: string;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  status: number;
}

export interface FakeStorageOptions {
  /** Clock in epoch ms (default Date.now), used for URL expiry. */
  now?: () => number;
  /** Status of an expired URL: 403 like S3 (default) or 410. */
  expiredStatus?: 403 | 410;
}

export interface FakeStorage {
  baseUrl: string;
  /** Stores a file under `fileKey` (replacing it: a new ETag). */
  put(fileKey: string, path: string, contentType: string): Promise<StoredFile>;
  putBuffer(fileKey: string, data: Buffer, contentType: string): StoredFile;
  get(fileKey: string): StoredFile | undefined;
  /** An absolute signed URL valid for `ttlSec` seconds (negative: already expired). */
  sign(fileKey: string, ttlSec: number): string;
  requests: RecordedRequest[];
  faults: Faults;
  expiredStatus: 403 | 410;
  close(): Promise<void>;
}

export function etagOf(data: Buffer): { etag: string; sha256: string } {
  // In slices: one update() takes at most 2 GiB - 1 bytes (the large-file benchmark has 2 GiB).
  const hash = createHash('sha256');
  for (let at = 0; at < data.length; at += 2 ** 30) hash.update(data.subarray(at, at + 2 ** 30));
  const sha256 = hash.digest('hex');
  return { etag: `"${sha256.slice(0, 20)}"`, sha256 };
}

type RangeResult =
  { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

/** One `bytes=` range per RFC 9110; several ranges or junk fall back to the whole file. */
export function resolveRange(header: string | undefined, size: number): RangeResult {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return { kind: 'full' };
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}

/**
 * Serves a stored file with Range / If-Range / HEAD and the body faults. Shared by the storage
 * host and by fakes that stream bytes themselves (e.g. Kallglot's `/audio`).
 */
export async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: StoredFile,
  options: { faults: Faults; path: string; headers?: Record<string, string> },
): Promise<void> {
  const size = file.data.length;
  const base: Record<string, string> = {
    'content-type': file.contentType,
    'accept-ranges': 'bytes',
    etag: file.etag,
    ...options.headers,
  };
  const ifRange = req.headers['if-range'];
  // If-Range with another validator: the file changed, so the whole file is sent.
  const rangeHeader = ifRange && ifRange !== file.etag ? undefined : req.headers.range;
  const range = resolveRange(rangeHeader, size);
  if (range.kind === 'unsatisfiable') {
    res.writeHead(416, { ...base, 'content-range': `bytes */${size}`, 'content-length': '0' });
    res.end();
    return;
  }
  const [status, start, end] =
    range.kind === 'partial' ? [206, range.start, range.end] : [200, 0, size - 1];
  const data = file.data.subarray(start, end + 1);
  const headers: Record<string, string> = { ...base, 'content-length': String(data.length) };
  if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  await sendBody(req, res, { status, headers, data, faults: options.faults, path: options.path });
}

export async function createFakeStorage(options: FakeStorageOptions = {}): Promise<FakeStorage> {
  const secret = randomBytes(32);
  const now = options.now ?? Date.now;
  const files = new Map<string, StoredFile>();
  const faults = createFaults();
  const requests: RecordedRequest[] = [];
  const signatureOf = (fileKey: string, expires: string): Buffer =>
    createHmac('sha256', secret).update(`${fileKey}\n${expires}`).digest();

  const putBuffer = (fileKey: string, data: Buffer, contentType: string): StoredFile => {
    const file = { data, contentType, ...etagOf(data) };
    files.set(fileKey, file);
    return file;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://storage.invalid');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      status: 0,
    };
    requests.push(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    handle(req, res, url).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
      else res.destroy();
    });
  });

  const deny = (res: ServerResponse, status: number, code: string, message: string): void => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
    res.writeHead(status, { 'content-type': 'application/xml' });
    // HEAD replies carry no body.
    res.end(res.req.method === 'HEAD' ? undefined : xml);
  };

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return deny(res, 405, 'MethodNotAllowed', 'Only GET and HEAD');
    }
    const outage = faults.take('server_error', path);
    if (outage) return deny(res, outage.status ?? 503, 'ServiceUnavailable', 'Try again');
    if (!path.startsWith('/objects/')) return deny(res, 404, 'NoSuchKey', 'No such key');
    const fileKey = decodeURIComponent(path.slice('/objects/'.length));
    const expires = url.searchParams.get('expires') ?? '';
    const signature = url.searchParams.get('signature') ?? '';
    const expected = signatureOf(fileKey, expires);
    const given = Buffer.from(signature, 'hex');
    if (
      !/^\d+$/.test(expires) ||
      given.length !== expected.length ||
      !timingSafeEqual(given, expected)
    ) {
      return deny(res, 403, 'SignatureDoesNotMatch', 'The request signature is not valid');
    }
    if (Number(expires) * 1000 <= now() || faults.take('expired_url', path)) {
      return deny(res, storage.expiredStatus, 'AccessDenied', 'Request has expired');
    }
    const file = files.get(fileKey);
    if (!file) return deny(res, 404, 'NoSuchKey', 'The specified key does not exist');
    await serveFile(req, res, file, { faults, path });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;

  const storage: FakeStorage = {
    baseUrl,
    requests,
    faults,
    expiredStatus: options.expiredStatus ?? 403,
    putBuffer,
    get: (fileKey) => files.get(fileKey),
    async put(fileKey, path, contentType) {
      return putBuffer(fileKey, await readFile(path), contentType);
    },
    sign(fileKey, ttlSec) {
      const expires = String(Math.floor(now() / 1000 + ttlSec));
      const signature = signatureOf(fileKey, expires).toString('hex');
      return `${baseUrl}/objects/${encodeURIComponent(fileKey)}?expires=${expires}&signature=${signature}`;
    },
    close() {
      return closeServer(server);
    },
  };
  return storage;
}
