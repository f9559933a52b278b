import { KindedError } from '../kinded-error.ts';
import { withDetails } from '../contract/failure-details.ts';
import type { ProviderKind, RemoteRecording, Selection } from './types.ts';

/**
 * What went wrong, as the engine must act on it:
 * auth → stop the account; not_found / gone / failed / payment_required / bad_request → record
 * and move on; not_ready → retry later; rate_limited → wait `retryAfterMs`; transient → retry
 * with backoff; invalid_response → record (the provider answered something we cannot trust);
 * no_recording → the call or session exists but has no media: record it as such, not a failure.
 */
export type ProviderErrorKind =
  | 'auth'
  | 'not_found'
  | 'not_ready'
  | 'gone'
  | 'failed'
  | 'rate_limited'
  | 'transient'
  | 'invalid_response'
  | 'payment_required'
  | 'bad_request'
  | 'no_recording';

export interface ProviderErrorInit {
  provider: ProviderKind;
  kind: ProviderErrorKind;
  /** Endpoint path template or host, never with credentials or signed query strings. */
  endpoint: string;
  message: string;
  status?: number | null;
  requestId?: string | null;
  retryAfterMs?: number | null;
  /** For invalid_response: the JSON path of the offending field. */
  field?: string | null;
  cause?: unknown;
}

export class ProviderError extends KindedError<ProviderErrorKind> {
  readonly provider: ProviderKind;
  readonly endpoint: string;
  readonly status: number | null;
  readonly requestId: string | null;
  readonly retryAfterMs: number | null;
  readonly field: string | null;

  constructor(init: ProviderErrorInit) {
    super('ProviderError', init);
    this.provider = init.provider;
    this.endpoint = init.endpoint;
    this.status = init.status ?? null;
    this.requestId = init.requestId ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.field = init.field ?? null;
  }

  /** Whether the same request may succeed later without the user changing anything. */
  get retryable(): boolean {
    return this.kind === 'not_ready' || this.kind === 'rate_limited' || this.kind === 'transient';
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}

/** Display names for messages; never used to build URLs or paths. */
export const PROVIDER_LABELS: Record<ProviderKind, string> = {
  kallglot: 'Kallglot',
  koreai: 'Kore.ai',
  envoy: 'Envoy',
};

/** A recording with no file to fetch yet (or ever): failed and gone stay so, the rest waits. */
export function notReadyError(
  recording: RemoteRecording,
  where: { provider: ProviderKind; endpoint: string; what: string },
): ProviderError {
  const kind =
    recording.status === 'failed'
      ? 'failed'
      : recording.status === 'gone'
        ? 'gone'
        : recording.status === 'none'
          ? 'no_recording'
          : 'not_ready';
  return new ProviderError({
    provider: where.provider,
    kind,
    endpoint: where.endpoint,
    message: withDetails(notReadySentence(kind, PROVIDER_LABELS[where.provider], where.what), [
      `${PROVIDER_LABELS[where.provider]} status "${recording.providerStatus}"`,
    ]),
  });
}

function notReadySentence(kind: ProviderErrorKind, label: string, what: string): string {
  switch (kind) {
    case 'failed':
      return `${label} could not produce this ${what}, so there is nothing to archive. Ask ${label} about it if it matters.`;
    case 'gone':
      return `${label} no longer has this ${what}: it was deleted at the provider and cannot be archived any more.`;
    case 'no_recording':
      return `${label} holds no ${what} for this; there is nothing to archive.`;
    default:
      return `${label} is still preparing this ${what}; Recvault tries again later by itself.`;
  }
}

/** A selection of another provider's kind reached this client (the job spec should prevent it). */
export function unsupportedSelection(
  provider: ProviderKind,
  endpoint: string,
  selection: Selection,
): ProviderError {
  return new ProviderError({
    provider,
    kind: 'bad_request',
    endpoint,
    message: `${PROVIDER_LABELS[provider]} cannot list a ${selection.kind} selection`,
  });
}
