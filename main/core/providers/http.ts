// The one place provider HTTP calls go through: URL building, timeouts, rate limiting, and the
// mapping of every failure to a ProviderError the engine knows how to act on.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { PROVIDER_LABELS, ProviderError } from './errors.ts';
import type { ProviderErrorKind } from './errors.ts';
import { serverWaitMs } from './rate-limit.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { ProviderKind } from './types.ts';

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export type QueryValue = string | number | boolean | null | undefined;

export interface HttpClientOptions {
  provider: ProviderKind;
  /** API base, e.g. https://api.kallglot.com or https://tryenvoy.ai/api/v1 (path is kept). */
  baseUrl: string;
  /** Names the credential in auth errors ("API key", "Client ID or Client Secret"). */
  credentialLabel: string;
  /** Secret values to scrub from any text taken from a server reply. */
  secrets?: readonly string[];
  /** Headers that authenticate an API request; called per request so tokens can be renewed. */
  authHeaders?: () => Record<string, string> | Promise<Record<string, string>>;
  fetch?: FetchLike;
  /** How long to wait for the response headers (the body has its own idle timeout). */
  timeoutMs?: number;
  limiter?: RateLimiter;
  now?: () => number;
}

export interface HttpRequest {
  /** Path template for errors and logs, e.g. `/v1/recordings/{id}`: never values or secrets. */
  endpoint: string;
  /** Path below the base URL, or an absolute URL (e.g. a signed storage URL). */
  path: string;
  method?: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  body?: string;
  redirect?: RequestRedirect;
  signal?: AbortSignal;
  /** Send the account's auth headers (default true). Off for storage hosts. */
  auth?: boolean;
  /** Count against the account's rate limit (default: same as `auth`). */
  rateLimited?: boolean;
  timeoutMs?: number;
}

/**
 * A reply whose body is file bytes, read as a Node stream straight off the socket (no WHATWG
 * stream layers). `body` is null for a reply without one (HEAD, 204, 304).
 */
export interface ByteReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Readable | null;
}

/** A reply from `send` (fetch) or `sendForBytes` (node:http). */
export type AnyReply = Response | ByteReply;

export interface HttpClient {
  readonly provider: ProviderKind;
  url(path: string, query?: Record<string, QueryValue>): URL;
  /** Sends and returns the reply whatever its status; network failures throw `transient`. */
  send(request: HttpRequest): Promise<Response>;
  /**
   * Like `send`, for a request whose body is the file itself (a download): over node:http(s)
   * directly, which costs a fraction of fetch's CPU per byte. With an injected `fetch` (tests)
   * it goes through that instead, so one seam sees every request.
   */
  sendForBytes(request: HttpRequest): Promise<AnyReply>;
  /** Like `send`, but a status >= 400 throws the matching ProviderError. */
  request(request: HttpRequest): Promise<Response>;
  /** GET-style call whose 2xx JSON body is parsed with `schema`. */
  json<S extends z.ZodType>(schema: S, request: HttpRequest): Promise<z.output<S>>;
  /** The ProviderError for a failed reply (reads the body). */
  errorFrom(response: AnyReply, endpoint: string): Promise<ProviderError>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_ERROR_BODY = 64 * 1024;

export function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): URL {
  const url = /^https?:\/\//i.test(path)
    ? new URL(path)
    : new URL(`${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
  }
  return url;
}

/** What a provider's JSON error body says, whatever its shape. */
export interface ErrorBodyInfo {
  code: string | null;
  message: string | null;
  requestId: string | null;
  retryAfterSec: number | null;
}

export function readErrorBody(text: string): ErrorBodyInfo {
  const info: ErrorBodyInfo = { code: null, message: null, requestId: null, retryAfterSec: null };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return info;
  }
  if (!isRecord(json)) return info;
  const inner = isRecord(json.error) ? json.error : json;
  const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
  info.code = str(inner.code) ?? str(inner.type) ?? str(json.status);
  info.message =
    str(inner.message) ?? str(json.error) ?? str(json.message) ?? str(json.detail) ?? null;
  info.requestId = str(inner.request_id) ?? str(json.request_id);
  const retry = inner.retry_after ?? json.retry_after;
  if (typeof retry === 'number' && Number.isFinite(retry)) info.retryAfterSec = retry;
  return info;
}

export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'payment_required';
  if (status === 404) return 'not_found';
  if (status === 410) return 'gone';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status >= 500) return 'transient';
  if (status >= 400) return 'bad_request';
  return 'invalid_response';
}

/** Removes secrets and control characters from server text, and bounds its length. */
export function cleanServerText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  out = out.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return out.length > 300 ? `${out.slice(0, 297)}...` : out;
}

/** Error codes are shown to the user as-is only when they look like codes. */
function safeCode(code: string | null): string | null {
  return code && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : null;
}

export interface ErrorContext {
  provider: ProviderKind;
  endpoint: string;
  credentialLabel: string;
  secrets?: readonly string[];
  now?: number;
}

/** Builds the ProviderError for a reply with an error status, from its headers and body text. */
export function errorFromReply(
  status: number,
  headers: Headers,
  bodyText: string,
  context: ErrorContext,
): ProviderError {
  const label = PROVIDER_LABELS[context.provider];
  const body = readErrorBody(bodyText);
  const code = safeCode(body.code);
  const kind = kindForStatus(status);
  const requestId =
    cleanServerText(headers.get('x-request-id') ?? body.requestId ?? '').slice(0, 128) || null;
  const detail = body.message ? cleanServerText(body.message, context.secrets) : null;
  const suffix = `${code ? ` (${code})` : ''}: HTTP ${status} from ${context.endpoint}`;
  let message: string;
  let retryAfterMs: number | null = null;
  switch (kind) {
    case 'auth':
      // Names the credential, never echoes it (nor the server's text, which might).
      message =
        status === 403
          ? `${label} refused the ${context.credentialLabel}: it lacks access${suffix}`
          : `${label} rejected the ${context.credentialLabel}${suffix}`;
      break;
    case 'rate_limited': {
      const fromHeaders = serverWaitMs(headers, context.now ?? Date.now());
      const fromBody = body.retryAfterSec === null ? null : body.retryAfterSec * 1000;
      retryAfterMs =
        fromHeaders === null && fromBody === null
          ? null
          : Math.max(fromHeaders ?? 0, fromBody ?? 0);
      message = `${label} rate limit reached${suffix}`;
      break;
    }
    default:
      message = `${label} ${describeKind(kind)}${suffix}${detail ? ` - ${detail}` : ''}`;
  }
  return new ProviderError({
    provider: context.provider,
    kind,
    endpoint: context.endpoint,
    message,
    status,
    requestId,
    retryAfterMs,
  });
}

function describeKind(kind: ProviderErrorKind): string {
  switch (kind) {
    case 'not_found':
      return 'has no such item';
    case 'gone':
      return 'no longer has this item';
    case 'payment_required':
      return 'requires payment or credits';
    case 'transient':
      return 'had a temporary failure';
    case 'bad_request':
      return 'refused the request';
    default:
      return 'answered unexpectedly';
  }
}

export interface ParseContext {
  provider: ProviderKind;
  endpoint: string;
  requestId?: string | null;
  status?: number | null;
}

/** Formats a zod issue path like `data[2].status`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

/** Parses a JSON body with a zod schema; any failure is an `invalid_response` naming the field. */
export function parseJson<S extends z.ZodType>(
  schema: S,
  text: string,
  context: ParseContext,
): z.output<S> {
  const label = PROVIDER_LABELS[context.provider];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ProviderError({
      provider: context.provider,
      kind: 'invalid_response',
      endpoint: context.endpoint,
      message: `${label} sent malformed JSON from ${context.endpoint}`,
      status: context.status ?? null,
      requestId: context.requestId ?? null,
      cause,
    });
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = formatFieldPath(issue?.path ?? []);
  throw new ProviderError({
    provider: context.provider,
    kind: 'invalid_response',
    endpoint: context.endpoint,
    message: `${label} sent an unexpected reply from ${context.endpoint}: field ${field}: ${
      issue?.message ?? 'invalid'
    }`,
    status: context.status ?? null,
    requestId: context.requestId ?? null,
    field,
  });
}

/** Network failure (reset, refused, DNS, timeout) → transient, with the system code only. */
function networkError(provider: ProviderKind, endpoint: string, cause: unknown): ProviderError {
  const code = findErrorCode(cause);
  return new ProviderError({
    provider,
    kind: 'transient',
    endpoint,
    message: `${PROVIDER_LABELS[provider]} could not be reached at ${endpoint}${
      code ? ` (${code})` : ''
    }`,
    cause,
  });
}

export function findErrorCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; isRecord(e) && depth < 4; e = e.cause, depth++) {
    if (typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code)) return e.code;
  }
  return null;
}

class TimeoutSignal extends Error {}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const provider = options.provider;
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? Date.now;
  const context = (endpoint: string): ErrorContext => ({
    provider,
    endpoint,
    credentialLabel: options.credentialLabel,
    secrets: options.secrets ?? [],
    now: now(),
  });

  const url = (path: string, query?: Record<string, QueryValue>): URL =>
    buildUrl(options.baseUrl, path, query);

  async function exchange<R extends AnyReply>(
    request: HttpRequest,
    transport: (url: URL, init: RequestInit & { headers: Record<string, string> }) => Promise<R>,
  ): Promise<R> {
    const useAuth = request.auth ?? true;
    const limited = request.rateLimited ?? useAuth;
    if (limited && options.limiter) await options.limiter.acquire(request.signal);
    const headers: Record<string, string> = { ...request.headers };
    if (useAuth && options.authHeaders) Object.assign(headers, await options.authHeaders());

    // One controller per request: the caller's signal and the header timeout both abort it,
    // and it stays linked to the caller's signal while the body is read.
    const controller = new AbortController();
    const outer = request.signal;
    outer?.throwIfAborted();
    const onAbort = (): void => controller.abort(outer?.reason);
    outer?.addEventListener('abort', onAbort, { once: true });
    const timeoutMs = request.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => controller.abort(new TimeoutSignal()), timeoutMs);
    let response: R;
    try {
      response = await transport(url(request.path, request.query), {
        method: request.method ?? 'GET',
        headers,
        body: request.body,
        redirect: request.redirect ?? 'follow',
        signal: controller.signal,
      });
    } catch (error) {
      outer?.removeEventListener('abort', onAbort);
      if (outer?.aborted) throw outer.reason;
      if (controller.signal.reason instanceof TimeoutSignal) {
        throw new ProviderError({
          provider,
          kind: 'transient',
          endpoint: request.endpoint,
          message: `${PROVIDER_LABELS[provider]} did not answer within ${timeoutMs} ms at ${request.endpoint}`,
          cause: error,
        });
      }
      throw networkError(provider, request.endpoint, error);
    } finally {
      clearTimeout(timer);
    }
    if (response.body === null) outer?.removeEventListener('abort', onAbort);
    else if (!(response instanceof Response)) {
      // The node body ends or fails on its own; drop the link to the caller's signal then.
      response.body.once('close', () => outer?.removeEventListener('abort', onAbort));
    }
    if (limited) options.limiter?.observe(response.status, response.headers);
    return response;
  }

  const send = (request: HttpRequest): Promise<Response> => exchange(request, doFetch);

  const sendForBytes = (request: HttpRequest): Promise<AnyReply> =>
    options.fetch === undefined ? exchange(request, nativeRequest) : send(request);

  async function errorFrom(response: AnyReply, endpoint: string): Promise<ProviderError> {
    const text = await readBoundedText(response, MAX_ERROR_BODY).catch(() => '');
    return errorFromReply(response.status, response.headers, text, context(endpoint));
  }

  async function request(req: HttpRequest): Promise<Response> {
    const response = await send(req);
    if (response.status >= 400) throw await errorFrom(response, req.endpoint);
    return response;
  }

  async function json<S extends z.ZodType>(schema: S, req: HttpRequest): Promise<z.output<S>> {
    const response = await request({
      ...req,
      headers: { accept: 'application/json', ...req.headers },
    });
    const requestId = response.headers.get('x-request-id');
    // 202 Accepted is "still working on it", not a body to parse.
    if (response.status === 202 || response.status < 200 || response.status >= 300) {
      await response.body?.cancel().catch(() => undefined);
      throw new ProviderError({
        provider,
        kind: response.status === 202 ? 'not_ready' : 'invalid_response',
        endpoint: req.endpoint,
        message: `${PROVIDER_LABELS[provider]} answered HTTP ${response.status} from ${req.endpoint}`,
        status: response.status,
        requestId,
      });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      throw networkError(provider, req.endpoint, cause);
    }
    return parseJson(schema, text, {
      provider,
      endpoint: req.endpoint,
      requestId,
      status: response.status,
    });
  }

  return { provider, url, send, sendForBytes, request, json, errorFrom };
}

/** Reads at most `limit` bytes of a body as text (error bodies only), then drops the rest. */
export async function readBoundedText(response: AnyReply, limit: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (!(response instanceof Response)) {
    const body = response.body as Readable;
    try {
      for await (const chunk of body) {
        chunks.push(chunk as Buffer);
        total += (chunk as Buffer).length;
        if (total >= limit) break;
      }
    } finally {
      body.destroy();
    }
    return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
  }
  const reader = response.body.getReader();
  try {
    while (total < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** Drops a reply's body unread (releases the connection). */
export function discardReply(response: AnyReply): void {
  if (response.body === null) return;
  if (response instanceof Response) void response.body.cancel().catch(() => undefined);
  else response.body.destroy();
}

const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * One request over node:http(s) with fetch's redirect semantics for the cases a download meets:
 * 'follow' follows up to 20 redirects (credentials are dropped when the origin changes, as
 * fetch does), 'manual' returns the 3xx. The caller's signal aborts the request and its body.
 * Keep-alive sockets of the global agents are reused between downloads.
 */
async function nativeRequest(
  url: URL,
  init: RequestInit & { headers: Record<string, string> },
): Promise<ByteReply> {
  let target = url;
  let headers = init.headers;
  for (let hop = 0; ; hop++) {
    const reply = await nativeOnce(target, init.method ?? 'GET', headers, init.body, init.signal);
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

function nativeOnce(
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
