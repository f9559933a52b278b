// A remote recording file for the archive tests: a tiny Range-aware HTTP server on 127.0.0.1,
// an `open` that talks to it like a provider client would, and an in-memory `open`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { ProviderError } from '../../main/core/providers/errors.ts';
import type { OpenOptions, RemoteStream } from '../../main/core/providers/types.ts';
import { closeServer } from '../fakes/close-server.ts';

export interface ServedRequest {
  range: string | undefined;
  ifRange: string | undefined;
  status: number;
}

export interface TestServerOptions {
  content: Buffer;
  etag: string | null;
  contentType?: string;
  /** Answer 200 with the whole file even when a Range is asked for. */
  ignoreRange?: boolean;
  /** Answer 206 even when If-Range does not match (a buggy server). */
  ignoreIfRange?: boolean;
  /** Cut the connection after this many body bytes, for the next `dropTimes` responses. */
  dropAfter?: number | null;
  dropTimes?: number;
  /** Pause this long between 16 KiB chunks. */
  chunkDelayMs?: number;
  /** Omit Content-Length (chunked encoding). */
  chunked?: boolean;
}

export interface TestServer {
  url: string;
  requests: ServedRequest[];
  options: TestServerOptions;
  close(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startServer(options: TestServerOptions): Promise<TestServer> {
  const requests: ServedRequest[] = [];
  const server = http.createServer((req, res) => {
    void serve(req, res);
  });
  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const o = options;
    const content = o.content;
    const range = req.headers.range;
    const ifRange = req.headers['if-range'] as string | undefined;
    let start = 0;
    const match = /^bytes=(\d+)-$/.exec(range ?? '');
    const validatorOk = ifRange === undefined || ifRange === o.etag || o.ignoreIfRange === true;
    const partial = match !== null && !o.ignoreRange && validatorOk;
    if (partial) start = Number(match[1]);
    if (partial && start >= content.length) {
      requests.push({ range, ifRange, status: 416 });
      res.writeHead(416, { 'Content-Range': `bytes */${content.length}` });
      res.end();
      return;
    }
    const status = partial ? 206 : 200;
    requests.push({ range, ifRange, status });
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': o.contentType ?? 'audio/mpeg',
      'Accept-Ranges': 'bytes',
    };
    if (o.etag !== null) headers.ETag = o.etag;
    if (!o.chunked) headers['Content-Length'] = String(content.length - start);
    if (partial)
      headers['Content-Range'] = `bytes ${start}-${content.length - 1}/${content.length}`;
    res.writeHead(status, headers);
    const drop = (o.dropTimes ?? 0) > 0 && o.dropAfter != null ? o.dropAfter : null;
    if (drop !== null) o.dropTimes = (o.dropTimes ?? 0) - 1;
    let sent = 0;
    let pos = start;
    while (pos < content.length) {
      let end = Math.min(pos + 16 * 1024, content.length);
      if (drop !== null && sent + (end - pos) >= drop) end = pos + (drop - sent);
      const chunk = content.subarray(pos, end);
      const more = res.write(chunk);
      sent += chunk.length;
      pos = end;
      if (drop !== null && sent >= drop) {
        // Let the client read what was sent, then cut the connection.
        await new Promise<void>((resolve) => res.write('', () => resolve()));
        await sleep(50);
        res.socket?.destroy();
        return;
      }
      if (!more) await new Promise((resolve) => res.once('drain', resolve));
      if (o.chunkDelayMs) await sleep(o.chunkDelayMs);
      if (res.destroyed) return;
    }
    res.end();
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/recording`,
    requests,
    options,
    close: () => closeServer(server),
  };
}

/** What a provider client's `open` does over HTTP: Range + If-Range, Content-Range parsing. */
export function httpOpen(url: string): (options: OpenOptions) => Promise<RemoteStream> {
  return (options) =>
    new Promise<RemoteStream>((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = {};
      if (options.offset !== undefined && options.offset > 0) {
        headers.Range = `bytes=${options.offset}-`;
        if (options.etag) headers['If-Range'] = options.etag;
      }
      const req = http.get(
        url,
        { headers, agent: false, ...(options.signal ? { signal: options.signal } : {}) },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status !== 200 && status !== 206) {
            res.resume();
            reject(
              new ProviderError({
                provider: 'kallglot',
                kind: status === 416 ? 'bad_request' : 'transient',
                endpoint: '127.0.0.1',
                message: `HTTP ${status}`,
                status,
              }),
            );
            return;
          }
          const lengthHeader = res.headers['content-length'];
          const contentLength = lengthHeader === undefined ? null : Number(lengthHeader);
          let startOffset = 0;
          let totalSize: number | null = status === 200 ? contentLength : null;
          if (status === 206) {
            const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers['content-range'] ?? '');
            if (m === null) {
              res.destroy();
              reject(new Error('bad Content-Range'));
              return;
            }
            startOffset = Number(m[1]);
            totalSize = m[3] === '*' ? null : Number(m[3]);
          }
          resolve({
            body: res,
            status,
            startOffset,
            contentLength,
            totalSize,
            etag: (res.headers.etag as string | undefined) ?? null,
            acceptRanges: res.headers['accept-ranges'] === 'bytes',
            contentType: res.headers['content-type'] ?? null,
          });
        },
      );
      req.on('error', reject);
    });
}

export interface FakeOpenOptions {
  content: Buffer;
  etag?: string | null;
  /** Deliver at most this many bytes per response, then end cleanly (a short body). */
  deliverAtMost?: number;
}

/** An in-memory `open` honouring Range/If-Range; records the options of every call. */
export function fakeOpen(o: FakeOpenOptions): {
  open: (options: OpenOptions) => Promise<RemoteStream>;
  calls: OpenOptions[];
} {
  const calls: OpenOptions[] = [];
  const etag = o.etag === undefined ? '"fake-1"' : o.etag;
  const open = async (options: OpenOptions): Promise<RemoteStream> => {
    calls.push({ offset: options.offset, etag: options.etag });
    const wantsRange = (options.offset ?? 0) > 0 && (!options.etag || options.etag === etag);
    const start = wantsRange ? (options.offset ?? 0) : 0;
    const end = Math.min(o.content.length, start + (o.deliverAtMost ?? Infinity));
    return {
      body: Readable.from([o.content.subarray(start, end)]),
      status: wantsRange ? 206 : 200,
      startOffset: start,
      contentLength: o.content.length - start,
      totalSize: o.content.length,
      etag,
      acceptRanges: true,
      contentType: 'audio/wav',
    };
  };
  return { open, calls };
}
