// Envoy client: calls listed by date range (page-number pagination) or named by id, and each
// call's recording through GET /calls/{call_id}/recording, whose playback URL is time-limited.
import { DEFAULT_BASE_URLS } from '../contract/providers.ts';
import { accountHttpClient } from './client-deps.ts';
import type { ClientDeps } from './client-deps.ts';
import type { EnvoyAccountConfig, ProviderClient, RemoteRecording } from './types.ts';
import { ProviderError, isProviderError, notReadyError, unsupportedSelection } from './errors.ts';
import { withDetails } from '../contract/failure-details.ts';
import type { HttpClient } from './http/api-client.ts';
import { firstSighting } from './listed-once.ts';
import { pageGuard } from './page-guard.ts';
import { withRetry } from './retry.ts';
import {
  ENVOY_NO_RECORDING,
  envoyCallEnded,
  envoyRemoteRecording,
  mapEnvoyStatus,
} from './envoy-recording.ts';
import { envoyCallListSchema, envoyCallSchema, envoyRecordingSchema } from './envoy-schemas.ts';
import type { EnvoyCall, EnvoyRecording } from './envoy-schemas.ts';
import { parseMediaUrl } from './recording-media.ts';
import { freshLinkMethods } from './signed-download.ts';
import type { FreshLink, SignedDownload } from './signed-download.ts';

export const ENVOY_CALLS_ENDPOINT = '/calls';
export const ENVOY_CALL_ENDPOINT = '/calls/{call_id}';
export const ENVOY_RECORDING_ENDPOINT = '/calls/{call_id}/recording';
export const ENVOY_PAGE_SIZE = 100;
/** A runaway `has_next` must not page forever. */

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

export function createEnvoyClient(
  config: EnvoyAccountConfig,
  deps: EnvoyClientDeps = {},
): ProviderClient {
  const organizationId = config.organizationId?.trim() || null;
  // Envoy publishes no rate limit: the table's default stays well below what such an API allows.
  const http: HttpClient = accountHttpClient(
    {
      provider: 'envoy',
      baseUrl: config.baseUrl || DEFAULT_BASE_URLS.envoy,
      credentialLabel: 'API key',
      secrets: [config.apiKey],
      authHeaders: () => ({
        authorization: `Bearer ${config.apiKey}`,
        ...(organizationId ? { 'x-organization-id': organizationId } : {}),
      }),
    },
    deps,
  );
  const pageSize = deps.pageSize ?? ENVOY_PAGE_SIZE;
  const now = deps.now ?? Date.now;
  const callPath = (callId: string): string => `/calls/${encodeURIComponent(callId)}`;
  const retrying = <T>(operation: () => Promise<T>, signal?: AbortSignal): Promise<T> =>
    withRetry(operation, { ...deps.retry, signal });

  function fetchRecording(callId: string, signal?: AbortSignal): Promise<EnvoyRecording> {
    const path = `${callPath(callId)}/recording`;
    const endpoint = ENVOY_RECORDING_ENDPOINT;
    return retrying(() => http.json(envoyRecordingSchema, { endpoint, path, signal }), signal);
  }

  function fetchCall(callId: string, signal?: AbortSignal): Promise<EnvoyCall> {
    const path = callPath(callId);
    const endpoint = ENVOY_CALL_ENDPOINT;
    return retrying(() => http.json(envoyCallSchema, { endpoint, path, signal }), signal);
  }

  /**
   * What a call whose recording endpoint answers 404 ("Recording not found") holds: nothing, once
   * the call has ended and its listed recording status does not say one is still being made
   * (no recording, issue 14); else its recording may still come.
   */
  function withoutRecording(call: EnvoyCall): RemoteRecording {
    const listed = envoyRemoteRecording(call.id, call, null, now());
    const word = call.recording_status?.trim();
    const stillComing = word ? mapEnvoyStatus(word) === 'pending' : false;
    if (stillComing || !envoyCallEnded(call, now())) {
      return { ...listed, status: 'pending', providerStatus: listed.providerStatus };
    }
    return { ...listed, status: 'none', providerStatus: ENVOY_NO_RECORDING };
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
      if (isProviderError(error) && error.kind === 'not_found') return withoutRecording(call);
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
    const firstTime = firstSighting();
    const guard = pageGuard('envoy', ENVOY_CALLS_ENDPOINT);
    for (let page = 1; ; page++) {
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
      let fresh = 0;
      for (const call of reply.data) {
        // A call that moves between pages while we read them is listed once.
        if (!firstTime(call.id)) continue;
        fresh++;
        yield call;
      }
      const { has_next: hasNext, total_pages: totalPages } = reply.pagination;
      const more = hasNext ?? (typeof totalPages === 'number' && page < totalPages);
      if (!more || reply.data.length === 0) return;
      guard.afterPage(reply.data.length, fresh);
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

  /** The reply's playback link (live and signed) of a recording that is ready. */
  function playbackLink(recording: RemoteRecording, reply: EnvoyRecording): SignedDownload {
    if (recording.status !== 'ready') {
      throw notReadyError(recording, {
        provider: 'envoy',
        endpoint: ENVOY_RECORDING_ENDPOINT,
        what: 'recording for this call',
      });
    }
    if (!reply.url) {
      throw new ProviderError({
        provider: 'envoy',
        kind: 'invalid_response',
        endpoint: ENVOY_RECORDING_ENDPOINT,
        field: 'url',
        message: withDetails(
          'Envoy says this recording is ready but sent no link to download it. Retry later; if it keeps happening, report it to Envoy.',
          [`status "${recording.providerStatus}", no url`],
        ),
      });
    }
    const url = parseMediaUrl(reply.url, {
      provider: 'envoy',
      endpoint: ENVOY_RECORDING_ENDPOINT,
      field: 'url',
    });
    return { url, knownSize: recording.size, idleTimeoutMs: deps.idleTimeoutMs };
  }

  /** Fresh recording metadata, and its playback link (time-limited, so asked for each time). */
  async function lookup(recording: RemoteRecording, signal?: AbortSignal): Promise<FreshLink> {
    const callId = callIdOf(recording);
    let reply: EnvoyRecording;
    try {
      reply = await fetchRecording(callId, signal);
    } catch (error) {
      if (!isProviderError(error) || error.kind !== 'not_found') throw error;
      // 404 for the recording: the call itself says whether it exists and has ended (a call
      // that is not found either stays the not_found it was).
      const current = withoutRecording(await fetchCall(callId, signal));
      return {
        recording: { ...current, recordedAt: current.recordedAt ?? recording.recordedAt },
        link: () => {
          throw notReadyError(current, {
            provider: 'envoy',
            endpoint: ENVOY_RECORDING_ENDPOINT,
            what: 'recording for this call',
          });
        },
      };
    }
    const fresh = envoyRemoteRecording(callId, previousCall(recording), reply);
    const current: RemoteRecording = {
      ...fresh,
      phoneNumbers: fresh.phoneNumbers.length > 0 ? fresh.phoneNumbers : recording.phoneNumbers,
      recordedAt: fresh.recordedAt ?? recording.recordedAt,
    };
    return { recording: current, link: () => playbackLink(current, reply) };
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

    async *discover(selection, options = {}) {
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
      throw unsupportedSelection('envoy', ENVOY_CALLS_ENDPOINT, selection);
    },

    ...freshLinkMethods(http, deps.maxUrlRenewals, lookup),
  };
}
