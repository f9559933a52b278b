// Every failed exchange with a provider becomes a ProviderError the engine knows how to act on:
// an error status (with whatever the body says), or a network failure. Messages name the
// endpoint template and the credential, never a secret or the server's echo of one.
import { PROVIDER_LABELS, ProviderError } from '../errors.ts';
import type { ProviderErrorKind } from '../errors.ts';
import { serverWaitMs } from '../rate-limit.ts';
import type { ProviderKind } from '../types.ts';

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
  /** The endpoint as messages show it: with the id that failed in place of `{id}`. */
  shownEndpoint?: string;
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
  const suffix = `${code ? ` (${code})` : ''}: HTTP ${status} from ${context.shownEndpoint ?? context.endpoint}`;
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

/** Network failure (reset, refused, DNS, timeout) → transient, with the system code only. */
export function networkError(
  provider: ProviderKind,
  endpoint: string,
  cause: unknown,
  shownEndpoint: string = endpoint,
): ProviderError {
  const code = findErrorCode(cause);
  return new ProviderError({
    provider,
    kind: 'transient',
    endpoint,
    message: `${PROVIDER_LABELS[provider]} could not be reached at ${shownEndpoint}${
      code ? ` (${code})` : ''
    }`,
    cause,
  });
}

/**
 * The endpoint template with its `{placeholders}` filled from the request's path, so a message
 * names the session or call that failed rather than `/v1/sessions/{id}/recordings`. An absolute
 * (signed storage) URL keeps the template: its query string may hold a signature.
 */
export function filledEndpoint(template: string, path: string): string {
  if (!template.includes('{') || /^[a-z]+:\/\//i.test(path)) return template;
  const want = template.split('/');
  const got = path.split('?')[0]!.split('/');
  if (got.length < want.length) return template;
  const tail = got.slice(got.length - want.length);
  const filled: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (/^\{[^}]+\}$/.test(segment)) {
      let value: string;
      try {
        value = decodeURIComponent(tail[i]!);
      } catch {
        return template;
      }
      filled.push(value);
    } else if (segment === tail[i]) filled.push(segment);
    else return template;
  }
  return filled.join('/');
}

/** The system code (ECONNRESET, …) of an error or of one of its causes. */
export function findErrorCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; isRecord(e) && depth < 4; e = e.cause, depth++) {
    if (typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code)) return e.code;
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
