// The one place provider HTTP calls go through: URL building, auth headers, timeouts and rate
// limiting, with every failure mapped to a ProviderError (error-from-reply.ts).
import type { z } from 'zod';
import { PROVIDER_LABELS, ProviderError } from '../errors.ts';
import type { RateLimiter } from '../rate-limit.ts';
import type { ProviderKind } from '../types.ts';
import {
  errorFromReply,
  filledEndpoint,
  networkError,
  timeoutError,
  withDetails,
} from './error-from-reply.ts';
import type { ErrorContext } from './error-from-reply.ts';
import { nodeRequest } from './node-transport.ts';
import { parseJson } from './parse-json.ts';
import { BodyTooLargeError, readJsonBody } from './read-json-body.ts';
import { discardReply, readBoundedText } from './reply.ts';
import type { AnyReply } from './reply.ts';

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
  /**
   * How long a request may take: the headers of any request, and the whole of an API call
   * (headers and JSON body). A download's body has its own idle timeout.
   */
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
/** An error body trickled byte by byte must not hold the request open. */
const ERROR_BODY_TIMEOUT_MS = 10_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): URL {
  const url = /^https?:\/\//i.test(path)
    ? new URL(path)
    : new URL(`${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
  }
  return url;
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
        // An authenticated call is never followed elsewhere: the auth headers would go along
        // (Kore.ai's JWT is a custom header no redirect logic knows to drop), maybe over http.
        redirect: request.redirect ?? (useAuth ? 'manual' : 'follow'),
        signal: controller.signal,
      });
    } catch (error) {
      outer?.removeEventListener('abort', onAbort);
      // No reply to read limits from: the request is no longer in flight for the limiter.
      if (limited) options.limiter?.settle();
      if (outer?.aborted) throw outer.reason;
      if (controller.signal.reason instanceof TimeoutSignal) {
        throw timeoutError(
          provider,
          request.endpoint,
          filledEndpoint(request.endpoint, request.path),
          timeoutMs,
          'answer',
          error,
        );
      }
      throw networkError(
        provider,
        request.endpoint,
        error,
        filledEndpoint(request.endpoint, request.path),
      );
    } finally {
      clearTimeout(timer);
    }
    if (response.body === null) outer?.removeEventListener('abort', onAbort);
    else if (!(response instanceof Response)) {
      // The node body ends or fails on its own; drop the link to the caller's signal then.
      response.body.once('close', () => outer?.removeEventListener('abort', onAbort));
    }
    if (limited) options.limiter?.observe(response.status, response.headers);
    if (useAuth && request.redirect === undefined && REDIRECT_STATUSES.has(response.status)) {
      discardReply(response);
      throw new ProviderError({
        provider,
        kind: 'invalid_response',
        endpoint: request.endpoint,
        status: response.status,
        message: withDetails(
          `${PROVIDER_LABELS[provider]} sent Recvault to another address, which it does not follow with the account's credentials. Check the account's address (it may have moved), then retry.`,
          [
            `HTTP ${response.status} redirect from ${filledEndpoint(request.endpoint, request.path)}`,
          ],
        ),
      });
    }
    return response;
  }

  const send = (request: HttpRequest): Promise<Response> => exchange(request, doFetch);

  const sendForBytes = (request: HttpRequest): Promise<AnyReply> =>
    options.fetch === undefined ? exchange(request, nodeRequest) : send(request);

  async function errorFrom(response: AnyReply, endpoint: string): Promise<ProviderError> {
    const text = await errorBody(response);
    return errorFromReply(response.status, response.headers, text, context(endpoint));
  }

  async function request(req: HttpRequest): Promise<Response> {
    const response = await send(req);
    if (response.status >= 400) {
      const text = await readBoundedText(response, MAX_ERROR_BODY).catch(() => '');
      throw errorFromReply(response.status, response.headers, text, {
        ...context(req.endpoint),
        shownEndpoint: filledEndpoint(req.endpoint, req.path),
      });
    }
    return response;
  }

  /** The first 64 KiB of an error body, given at most ERROR_BODY_TIMEOUT_MS. */
  async function errorBody(response: AnyReply): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>((resolve) => {
      timer = setTimeout(() => {
        discardReply(response);
        resolve('');
      }, ERROR_BODY_TIMEOUT_MS);
    });
    try {
      return await Promise.race([readBoundedText(response, MAX_ERROR_BODY).catch(() => ''), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** An API call's whole exchange (headers, then the body) under one deadline. */
  async function json<S extends z.ZodType>(schema: S, req: HttpRequest): Promise<z.output<S>> {
    const outer = req.signal;
    outer?.throwIfAborted();
    const deadline = new AbortController();
    const onAbort = (): void => deadline.abort(outer?.reason);
    outer?.addEventListener('abort', onAbort, { once: true });
    const timeoutMs = req.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => deadline.abort(new TimeoutSignal()), timeoutMs);
    try {
      return await jsonWithin(schema, { ...req, signal: deadline.signal });
    } catch (error) {
      if (outer?.aborted) throw outer.reason;
      if (deadline.signal.reason instanceof TimeoutSignal) {
        throw timeoutError(
          provider,
          req.endpoint,
          filledEndpoint(req.endpoint, req.path),
          timeoutMs,
          'finish',
          error,
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
  }

  async function jsonWithin<S extends z.ZodType>(
    schema: S,
    req: HttpRequest,
  ): Promise<z.output<S>> {
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
        message: withDetails(
          response.status === 202
            ? `${PROVIDER_LABELS[provider]} is still preparing this; Recvault tries again later by itself.`
            : `${PROVIDER_LABELS[provider]} answered without the data asked for. Retry; if it happens again, report it.`,
          [`HTTP ${response.status} from ${filledEndpoint(req.endpoint, req.path)}`],
        ),
        status: response.status,
        requestId,
      });
    }
    let text: string;
    try {
      text = await readJsonBody(response);
    } catch (cause) {
      if (cause instanceof BodyTooLargeError) {
        throw new ProviderError({
          provider,
          kind: 'invalid_response',
          endpoint: req.endpoint,
          message: withDetails(
            `${PROVIDER_LABELS[provider]} sent a reply too large to be trusted (over ${cause.limit / 1024 / 1024} MiB). Retry; if it happens again, report it.`,
            [`from ${filledEndpoint(req.endpoint, req.path)}`],
          ),
          status: response.status,
          requestId,
        });
      }
      if (req.signal?.aborted) throw req.signal.reason;
      throw networkError(provider, req.endpoint, cause, filledEndpoint(req.endpoint, req.path));
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
