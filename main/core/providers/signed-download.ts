// Opens a provider's pre-signed download URL. The request goes without the account's auth
// headers (the signature is the credential; our API key or JWT must never reach a storage host)
// and a refusal by the storage host means the signature expired, not that the account is bad.
import { isProviderError, PROVIDER_LABELS, ProviderError } from './errors.ts';
import { withDetails } from '../contract/failure-details.ts';
import type { HttpClient } from './http/api-client.ts';
import { discardReply } from './http/reply.ts';
import { rangeHeaders, toRemoteStream } from './stream.ts';
import type { OpenOptions, ProviderClient, RemoteRecording, RemoteStream } from './types.ts';

/** Fresh links asked for within one open() when storage refuses one as expired. */
export const DEFAULT_URL_RENEWALS = 2;

export interface SignedDownload {
  url: URL;
  knownSize?: number | null;
  fileName?: string | null;
  idleTimeoutMs?: number;
}

/** Storage statuses that mean "this signed URL no longer works": fetch a fresh one and retry. */
const EXPIRED_URL_STATUSES = new Set([401, 403, 410]);

export async function openSignedUrl(
  http: HttpClient,
  download: SignedDownload,
  options: OpenOptions = {},
): Promise<RemoteStream> {
  // Errors name the storage host only: the path and query carry the signature.
  const endpoint = download.url.host;
  const response = await http.sendForBytes({
    endpoint,
    path: download.url.toString(),
    headers: rangeHeaders(options),
    auth: false,
    rateLimited: false,
    signal: options.signal,
  });
  if (EXPIRED_URL_STATUSES.has(response.status)) {
    discardReply(response);
    throw new ProviderError({
      provider: http.provider,
      kind: 'transient',
      endpoint,
      status: response.status,
      requestId: response.headers.get('x-request-id'),
      message: withDetails(
        `The download link ${PROVIDER_LABELS[http.provider]} gave for this recording was refused, most likely because it expired. Retry: Recvault asks for a fresh link.`,
        [`HTTP ${response.status} from ${endpoint}`],
      ),
    });
  }
  if (response.status >= 400) throw await http.errorFrom(response, endpoint);
  return toRemoteStream(response, {
    provider: http.provider,
    endpoint,
    requestedOffset: options.offset ?? 0,
    knownSize: download.knownSize ?? null,
    fileName: download.fileName ?? null,
    idleTimeoutMs: download.idleTimeoutMs,
    signal: options.signal,
  });
}

/** Storage refused the signed link (expired): only a fresh link helps, not a plain retry. */
export function isRefusedLink(error: unknown): boolean {
  return (
    isProviderError(error) &&
    error.kind === 'transient' &&
    (error.status === 401 || error.status === 403 || error.status === 410)
  );
}

/** Fresh metadata for a recording, and its signed link now (throws when it has none). */
export interface FreshLink {
  recording: RemoteRecording;
  link(): SignedDownload;
}

/**
 * describe() and open() of a client whose signed links expire quickly (Envoy, Kore.ai): both
 * ask the API about the recording again, open() for every attempt, and a link storage refuses
 * (expired) is renewed at most `renewals` times, so a host that refuses every link cannot loop us.
 */
export function freshLinkMethods(
  http: HttpClient,
  renewals: number | undefined,
  lookup: (recording: RemoteRecording, signal?: AbortSignal) => Promise<FreshLink>,
): Pick<ProviderClient, 'describe' | 'open'> {
  const limit = Math.max(0, renewals ?? DEFAULT_URL_RENEWALS);
  return {
    async describe(recording, signal) {
      return (await lookup(recording, signal)).recording;
    },
    async open(recording, options = {}) {
      for (let attempt = 0; ; attempt++) {
        const download = (await lookup(recording, options.signal)).link();
        try {
          return await openSignedUrl(http, download, options);
        } catch (error) {
          if (!isRefusedLink(error) || attempt >= limit) throw error;
        }
      }
    },
  };
}
