// Downloads go over node:http(s) directly rather than fetch: a Node stream straight off the
// socket costs a fraction of fetch's CPU per byte. This is the small part of fetch's behaviour
// a download needs (redirects, dropping credentials across origins, abort).
import http from 'node:http';
import https from 'node:https';
import { discardReply } from './reply.ts';
import type { ByteReply } from './reply.ts';

const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * One request over node:http(s) with fetch's redirect semantics for the cases a download meets:
 * 'follow' follows up to 20 redirects (credentials are dropped when the origin changes, as
 * fetch does; never from https to http), 'manual' returns the 3xx. The caller's signal aborts the request and its body.
 * Keep-alive sockets of the global agents are reused between downloads.
 */
export async function nodeRequest(
  url: URL,
  init: RequestInit & { headers: Record<string, string> },
): Promise<ByteReply> {
  let target = url;
  let headers = init.headers;
  for (let hop = 0; ; hop++) {
    const reply = await requestOnce(target, init.method ?? 'GET', headers, init.body, init.signal);
    const location = reply.headers.get('location');
    if (init.redirect === 'manual' || !REDIRECT_STATUSES.has(reply.status) || !location) {
      return reply;
    }
    discardReply(reply);
    if (init.redirect === 'error' || hop >= MAX_REDIRECTS) {
      throw new TypeError(
        `redirect ${init.redirect === 'error' ? 'not allowed' : 'count exceeded'}`,
      );
    }
    const next = new URL(location, target);
    // A signed link, or the bytes of a recording, never drop from https to plain http.
    if (target.protocol === 'https:' && next.protocol !== 'https:') {
      throw new TypeError(`redirect from https to ${next.protocol} refused`);
    }
    if (next.origin !== target.origin) {
      headers = Object.fromEntries(
        Object.entries(headers).filter(
          ([name]) =>
            !['authorization', 'cookie', 'proxy-authorization'].includes(name.toLowerCase()),
        ),
      );
    }
    target = next;
  }
}

function requestOnce(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: RequestInit['body'],
  signal: AbortSignal | null | undefined,
): Promise<ByteReply> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new TypeError(`unsupported protocol ${url.protocol}`));
  }
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise<ByteReply>((resolve, reject) => {
    const req = lib.request(url, { method, headers, ...(signal ? { signal } : {}) }, (res) => {
      const replyHeaders = new Headers();
      for (const [name, value] of Object.entries(res.headers)) {
        if (Array.isArray(value)) for (const v of value) replyHeaders.append(name, v);
        else if (value !== undefined) replyHeaders.set(name, value);
      }
      const status = res.statusCode ?? 0;
      const empty = method === 'HEAD' || status === 204 || status === 304;
      if (empty) res.resume();
      resolve({ status, headers: replyHeaders, body: empty ? null : res });
    });
    req.on('error', (error) => reject(signal?.aborted ? signal.reason : error));
    if (typeof body === 'string') req.end(body);
    else req.end();
  });
}
