// Every failed exchange with a provider becomes a ProviderError the engine knows how to act on:
// an error status (with whatever the body says), or a network failure. Messages say in plain
// words what failed (the id), why and what to do, then the technical details; they name the
// credential, never a secret or the server's echo of one.
import { PROVIDER_LABELS, ProviderError } from '../errors.ts';
import type { ProviderErrorKind } from '../errors.ts';
import { serverWaitMs } from '../rate-limit.ts';
import type { ProviderKind } from '../types.ts';
import { withDetails } from '../../contract/failure-details.ts';

export { DETAILS_MARK, withDetails } from '../../contract/failure-details.ts';

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

/** "session sess_x" from `/v1/sessions/{id}/recordings` filled as `/v1/sessions/sess_x/recordings`. */
export function subjectOf(template: string, shown: string): string | null {
  const want = template.split('/');
  const got = shown.split('/');
  if (want.length !== got.length) return null;
  let subject: string | null = null;
  for (let i = 1; i < want.length; i++) {
    if (!/^\{[^}]+\}$/.test(want[i]!) || got[i] === want[i]) continue;
    const noun = (want[i - 1] ?? '').replace(/s$/, '');
    if (!/^[a-z]+$/i.test(noun)) continue;
    // The last id named wins: /bot/{botId}/… names the bot only when nothing narrower follows.
    subject = `${noun} ${got[i]}`;
  }
  return subject;
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
  const shown = context.shownEndpoint ?? context.endpoint;
  const subject = subjectOf(context.endpoint, shown);
  const technical = (withServerText: boolean): (string | null | false)[] => [
    code,
    `HTTP ${status} from ${shown}`,
    requestId && `request id ${requestId}`,
    withServerText && detail !== null && `${label} said: ${detail}`,
  ];
  let sentence: string;
  let retryAfterMs: number | null = null;
  switch (kind) {
    case 'auth':
      // Names the credential, never echoes it (nor the server's text, which might).
      sentence =
        status === 403
          ? `${label} accepted the ${context.credentialLabel} but refused it access${subject ? ` to ${subject}` : ''}. Check that the ${context.credentialLabel} has the rights it needs, then retry.`
          : `${label} rejected the ${context.credentialLabel}. Enter the current ${context.credentialLabel} in Accounts, test the account, then retry.`;
      return providerError(context, kind, status, requestId, null, sentence, technical(false));
    case 'rate_limited': {
      const fromHeaders = serverWaitMs(headers, context.now ?? Date.now());
      const fromBody = body.retryAfterSec === null ? null : body.retryAfterSec * 1000;
      retryAfterMs =
        fromHeaders === null && fromBody === null
          ? null
          : Math.max(fromHeaders ?? 0, fromBody ?? 0);
      sentence = `${label} asked Recvault to slow down (its rate limit was reached). Recvault waits and tries again by itself.`;
      break;
    }
    default:
      sentence = plainSentence(kind, label, subject);
  }
  return providerError(context, kind, status, requestId, retryAfterMs, sentence, technical(true));
}

function providerError(
  context: ErrorContext,
  kind: ProviderErrorKind,
  status: number,
  requestId: string | null,
  retryAfterMs: number | null,
  sentence: string,
  details: (string | null | false)[],
): ProviderError {
  return new ProviderError({
    provider: context.provider,
    kind,
    endpoint: context.endpoint,
    message: withDetails(sentence, details),
    status,
    requestId,
    retryAfterMs,
  });
}

/** What the provider's answer means, naming the item when the endpoint does, and what to do. */
function plainSentence(kind: ProviderErrorKind, label: string, subject: string | null): string {
  const it = subject ?? 'the item asked for';
  switch (kind) {
    case 'not_found':
      return subject
        ? `${label} has no ${subject} (it may have been deleted, or the id is mistyped). Check the id, then retry.`
        : `${label} could not find what was asked for. Check the id and the account's address, then retry.`;
    case 'gone':
      return `${label} no longer has ${it}: it was deleted at the provider and cannot be archived any more.`;
    case 'payment_required':
      return `${label} will not serve ${it} until the account's payment or credits are settled. Settle them with ${label}, then retry.`;
    case 'transient':
      return `${label} had a temporary problem answering for ${it}. Retry later; if it keeps failing, check ${label}'s status.`;
    case 'bad_request':
      return `${label} refused the request for ${it} as not valid. Check the id and the account's settings, then retry.`;
    default:
      return `${label} answered in a way Recvault does not understand for ${it}. Retry; if it happens again, report it.`;
  }
}

/** System codes of a failed connection, in words. */
const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was cut',
  ENOTFOUND: 'its address was not found',
  EAI_AGAIN: 'its address could not be looked up',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'its host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EPIPE: 'the connection was cut',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another address',
};

/** Network failure (reset, refused, DNS, timeout) → transient, with the system code only. */
export function networkError(
  provider: ProviderKind,
  endpoint: string,
  cause: unknown,
  shownEndpoint: string = endpoint,
): ProviderError {
  const code = findErrorCode(cause);
  const label = PROVIDER_LABELS[provider];
  const why = code ? NETWORK_WORDS[code] : undefined;
  return new ProviderError({
    provider,
    kind: 'transient',
    endpoint,
    message: withDetails(
      `${label} could not be reached${why ? ` (${why})` : ''}. Check the network and the account's address, then retry.`,
      [code, `at ${shownEndpoint}`],
    ),
    cause,
  });
}

/** No answer in time → transient, in the same words wherever the wait ran out. */
export function timeoutError(
  provider: ProviderKind,
  endpoint: string,
  shownEndpoint: string,
  timeoutMs: number,
  phase: 'answer' | 'finish',
  cause: unknown,
): ProviderError {
  const label = PROVIDER_LABELS[provider];
  const seconds = Math.max(1, Math.round(timeoutMs / 1000));
  return new ProviderError({
    provider,
    kind: 'transient',
    endpoint,
    message: withDetails(
      `${label} did not ${phase === 'answer' ? 'answer' : 'finish answering'} within ${seconds} s. Retry later; if it keeps happening, check the network or ${label}'s status.`,
      [`no reply within ${timeoutMs} ms at ${shownEndpoint}`],
    ),
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
