// Envoy client: calls listed by date range (page-number pagination) or named by id, and each
// call's recording through GET /calls/{call_id}/recording, whose playback URL is time-limited.
import { DEFAULT_BASE_URLS } from './types.ts';
import type { ClientDeps } from './client-deps.ts';
import type {
  DiscoverOptions,
  EnvoyAccountConfig,
  OpenOptions,
  ProviderClient,
  RemoteRecording,
  RemoteStream,
  Selection,
} from './types.ts';
import { ProviderError, isProviderError } from './errors.ts';
import { createHttpClient } from './http/api-client.ts';
import type { HttpClient } from './http/api-client.ts';
import { createRateLimiter } from './rate-limit.ts';
import { withRetry } from './retry.ts';
import { envoyRemoteRecording, mapEnvoyStatus } from './envoy-recording.ts';
import { envoyCallListSchema, envoyCallSchema, envoyRecordingSchema } from './envoy-schemas.ts';
import type { EnvoyCall, EnvoyRecording } from './envoy-schemas.ts';
import { parseMediaUrl } from './recording-media.ts';
import { isRefusedLink, openSignedUrl } from './signed-download.ts';

export const ENVOY_CALLS_ENDPOINT = '/calls';
export const ENVOY_CALL_ENDPOINT = '/calls/{call_id}';
export const ENVOY_RECORDING_ENDPOINT = '/calls/{call_id}/recording';
/** Envoy publishes no rate limit; this stays well below what an API of its kind allows. */
export const ENVOY_REQUESTS_PER_MINUTE = 120;
export const ENVOY_PAGE_SIZE = 100;
/** A runaway `has_next` must not page forever. */
const MAX_PAGES = 10_000;
/** Fresh links asked for within one open() when storage refuses one as expired. */
export const ENVOY_MAX_URL_RENEWALS = 2;

export interface EnvoyClientDeps extends ClientDeps {
  pageSize?: number;
}

/** The date part of a bound: Envoy's list filters take dates (`2024-01-01`). */
function dateParam(value: string, field: 'from' | 'to'): string {
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim());
  if (!match?.[1] || Number.isNaN(Date.parse(match[1]))) {
    throw new ProviderError({
      provider: 'envoy',
      kind: 'bad_request',
      endpoint: ENVOY_CALLS_ENDPOINT,
      field,
      message: `Envoy call list: ${field} date is not a date`,
    });
  }
  return match[1];
}

function notReadyError(recording: RemoteRecording): ProviderError {
  const kind =
    recording.status === 'failed' ? 'failed' : recording.status === 'gone' ? 'gone' : 'not_ready';
  return new ProviderError({
    provider: 'envoy',
    kind,
    endpoint: ENVOY_RECORDING_ENDPOINT,
    message: `Envoy has no downloadable recording for this call (status ${recording.providerStatus})`,
  });
}

export function createEnvoyClient(
  config: EnvoyAccountConfig,
  deps: EnvoyClientDeps = {},
): ProviderClient {
  const now = deps.now ?? Date.now;
  const organizationId = config.organizationId?.trim() || null;
  const http: HttpClient = createHttpClient({
    provider: 'envoy',
    baseUrl: config.baseUrl || DEFAULT_BASE_URLS.envoy,
    credentialLabel: 'API key',
    secrets: [config.apiKey],
    authHeaders: () => ({
      authorization: `Bearer ${config.apiKey}`,
      ...(organizationId ? { 'x-organization-id': organizationId } : {}),
    }),
    fetch: deps.fetch,
    timeoutMs: deps.timeoutMs,
    limiter:
      deps.limiter ??
      createRateLimiter({
        requestsPerMinute: deps.requestsPerMinute ?? ENVOY_REQUESTS_PER_MINUTE,
        now,
      }),
    now,
  });
  const pageSize = deps.pageSize ?? ENVOY_PAGE_SIZE;
  const callPath = (callId: string): string => `/calls/${encodeURIComponent(callId)}`;
  const retrying = <T>(operation: () => Promise<T>, signal?: AbortSignal): Promise<T> =>
    withRetry(operation, { ...deps.retry, signal });

  function fetchRecording(callId: string, signal?: AbortSignal): Promise<EnvoyRecording> {
    return retrying(
      () =>
        http.json(envoyRecordingSchema, {
          endpoint: ENVOY_RECORDING_ENDPOINT,
          path: `${callPath(callId)}/recording`,
          signal,
        }),
      signal,
    );
  }

  function fetchCall(callId: string, signal?: AbortSignal): Promise<EnvoyCall> {
    return retrying(
      () =>
        http.json(envoyCallSchema, {
          endpoint: ENVOY_CALL_ENDPOINT,
          path: callPath(callId),
          signal,
        }),
      signal,
    );
  }

  /**
   * The recording of a listed call. Calls whose recording is not ready are not asked about (the
   * list already says so); a ready call whose recording endpoint answers 404 is yielded from the
   * list alone, so describe() can report it rather than the whole listing failing.
   */
  async function withRecording(call: EnvoyCall, signal?: AbortSignal): Promise<RemoteRecording> {
    if (mapEnvoyStatus(call.recording_status ?? '') !== 'ready') {
      return envoyRemoteRecording(call.id, call, null);
    }
    try {
      return envoyRemoteRecording(call.id, call, await fetchRecording(call.id, signal));
    } catch (error) {
      if (isProviderError(error) && error.kind === 'not_found') {
        return envoyRemoteRecording(call.id, call, null);
      }
      throw error;
    }
  }

  async function* listCalls(
    from: string,
    to: string,
    status: string | undefined,
    signal?: AbortSignal,
  ): AsyncGenerator<EnvoyCall> {
    const query = {
      start_date: dateParam(from, 'from'),
      end_date: dateParam(to, 'to'),
      status: status || undefined,
      page_size: pageSize,
    };
    const seen = new Set<string>();
    for (let page = 1; page <= MAX_PAGES; page++) {
      const reply = await retrying(
        () =>
          http.json(envoyCallListSchema, {
            endpoint: ENVOY_CALLS_ENDPOINT,
            path: ENVOY_CALLS_ENDPOINT,
            query: { ...query, page },
            signal,
          }),
        signal,
      );
      for (const call of reply.data) {
        // A call that moves between pages while we read them is listed once.
        if (seen.has(call.id)) continue;
        seen.add(call.id);
        yield call;
      }
      const { has_next: hasNext, total_pages: totalPages } = reply.pagination;
      const more = hasNext ?? (typeof totalPages === 'number' && page < totalPages);
      if (!more || reply.data.length === 0) return;
    }
  }

  function previousCall(recording: RemoteRecording): EnvoyCall | null {
    const parsed = envoyCallSchema.safeParse(recording.raw.call);
    return parsed.success ? parsed.data : null;
  }

  function callIdOf(recording: RemoteRecording): string {
    const callId = recording.callId ?? recording.remoteId;
    if (!callId) {
      throw new ProviderError({
        provider: 'envoy',
        kind: 'bad_request',
        endpoint: ENVOY_RECORDING_ENDPOINT,
        message: 'Envoy recordings need a call id',
      });
    }
    return callId;
  }

  /** Fresh recording metadata plus the reply itself (whose url is the live, signed one). */
  async function lookup(
    recording: RemoteRecording,
    signal?: AbortSignal,
  ): Promise<{ recording: RemoteRecording; reply: EnvoyRecording }> {
    const callId = callIdOf(recording);
    const reply = await fetchRecording(callId, signal);
    const fresh = envoyRemoteRecording(callId, previousCall(recording), reply);
    return {
      recording: {
        ...fresh,
        phoneNumbers: fresh.phoneNumbers.length > 0 ? fresh.phoneNumbers : recording.phoneNumbers,
        recordedAt: fresh.recordedAt ?? recording.recordedAt,
      },
      reply,
    };
  }

  return {
    provider: 'envoy',

    async test(signal) {
      // One call of one page: cheap, and it needs the same access as the archive does.
      await retrying(
        () =>
          http.json(envoyCallListSchema, {
            endpoint: ENVOY_CALLS_ENDPOINT,
            path: ENVOY_CALLS_ENDPOINT,
            query: { page: 1, page_size: 1 },
            signal,
          }),
        signal,
      );
    },

    async *discover(selection: Selection, options: DiscoverOptions = {}) {
      // Envoy recordings are single files holding both sides.
      if (options.channel && options.channel !== 'mixed') return;
      if (selection.kind === 'envoy-call') {
        const call = await fetchCall(selection.callId, options.signal);
        yield await withRecording(call, options.signal);
        return;
      }
      if (selection.kind === 'envoy-range') {
        const calls = listCalls(selection.from, selection.to, selection.status, options.signal);
        for await (const call of calls) yield await withRecording(call, options.signal);
        return;
      }
      throw new ProviderError({
        provider: 'envoy',
        kind: 'bad_request',
        endpoint: ENVOY_CALLS_ENDPOINT,
        message: `Envoy cannot list a ${selection.kind} selection`,
      });
    },

    async describe(recording, signal) {
      return (await lookup(recording, signal)).recording;
    },

    async open(recording: RemoteRecording, options: OpenOptions = {}): Promise<RemoteStream> {
      const renewals = Math.max(0, deps.maxUrlRenewals ?? ENVOY_MAX_URL_RENEWALS);
      for (let attempt = 0; ; attempt++) {
        // The playback URL is time-limited, so every attempt asks for a fresh one.
        const fresh = await lookup(recording, options.signal);
        if (fresh.recording.status !== 'ready') throw notReadyError(fresh.recording);
        if (!fresh.reply.url) {
          throw new ProviderError({
            provider: 'envoy',
            kind: 'invalid_response',
            endpoint: ENVOY_RECORDING_ENDPOINT,
            field: 'url',
            message: `Envoy reported the recording ${fresh.recording.providerStatus} but sent no url`,
          });
        }
        const url = parseMediaUrl(fresh.reply.url, {
          provider: 'envoy',
          endpoint: ENVOY_RECORDING_ENDPOINT,
          field: 'url',
        });
        try {
          return await openSignedUrl(
            http,
            { url, knownSize: fresh.recording.size, idleTimeoutMs: deps.idleTimeoutMs },
            options,
          );
        } catch (error) {
          if (!isRefusedLink(error) || attempt >= renewals) throw error;
        }
      }
    },
  };
}
