// Kallglot client (seed pages 000–002 and providers.md): retrieve, list a session's recordings,
// and download in the original format. The API key goes to the API host only: the download
// redirect is followed by hand, without auth headers, to the storage host.
import { accountHttpClient } from './client-deps.ts';
import type { ClientDeps } from './client-deps.ts';
import { isProviderError, ProviderError, unsupportedSelection } from './errors.ts';
import { withDetails } from '../contract/failure-details.ts';
import type { HttpClient } from './http/api-client.ts';
import { discardReply } from './http/reply.ts';
import type { AnyReply } from './http/reply.ts';
import { kallglotAudioPath, toRemoteRecording } from './kallglot-recording.ts';
import { kallglotListSchema, kallglotRecordingSchema } from './kallglot-schemas.ts';
import type { KallglotRecording } from './kallglot-schemas.ts';
import { firstSighting } from './listed-once.ts';
import { pageGuard } from './page-guard.ts';
import { parseMediaUrl } from './recording-media.ts';
import { isRetryableNow, withRetry } from './retry.ts';
import { DEFAULT_URL_RENEWALS, isRefusedLink, openSignedUrl } from './signed-download.ts';
import { contentDispositionFileName, rangeHeaders, toRemoteStream } from './stream.ts';
import { DEFAULT_BASE_URLS } from '../contract/providers.ts';
import type {
  Channel,
  KallglotAccountConfig,
  OpenOptions,
  ProviderClient,
  RemoteRecording,
  RemoteStream,
} from './types.ts';

export const KALLGLOT_RECORDING_ENDPOINT = '/v1/recordings/{id}';
export const KALLGLOT_SESSION_RECORDINGS_ENDPOINT = '/v1/sessions/{id}/recordings';
export const KALLGLOT_DOWNLOAD_ENDPOINT = '/v1/recordings/{id}/download';
export const KALLGLOT_AUDIO_ENDPOINT = '/v1/recordings/{id}/audio';

/** The documented maximum `limit`: the fewest requests per session. */
export const KALLGLOT_PAGE_SIZE = 100;
/** Signed URLs asked for ahead of their download (prefetch), and how long one is used. */
const PREFETCH_MAX = 16;
const PREFETCH_MAX_AGE_MS = 60_000;

/** The id `test()` retrieves: it cannot exist, so a 404 proves the key was accepted. */
export const KALLGLOT_PROBE_RECORDING_ID = 'rec_recvault_connection_check';

export interface KallglotClientDeps extends ClientDeps {
  pageSize?: number;
}

/** A provider format word safe to send back as `?format=` (the archive keeps the original). */
function formatParam(recording: RemoteRecording): string | null {
  const raw = recording.format ?? recording.raw.format;
  return typeof raw === 'string' && /^[a-z0-9]{1,8}$/i.test(raw) ? raw.toLowerCase() : null;
}

export function createKallglotClient(
  config: KallglotAccountConfig,
  deps: KallglotClientDeps = {},
): ProviderClient {
  const now = deps.now ?? Date.now;
  const pageSize = Math.min(100, Math.max(1, deps.pageSize ?? KALLGLOT_PAGE_SIZE));
  const maxRenewals = deps.maxUrlRenewals ?? DEFAULT_URL_RENEWALS;
  // The table's default is the lowest published tier (free / Starter); Pro may raise it to 300.
  const http: HttpClient = accountHttpClient(
    {
      provider: 'kallglot',
      baseUrl: config.baseUrl || DEFAULT_BASE_URLS.kallglot,
      credentialLabel: 'API key',
      secrets: [config.apiKey],
      authHeaders: () => ({ authorization: `Bearer ${config.apiKey}` }),
    },
    deps,
  );
  const retrying = <T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> =>
    withRetry(run, {
      ...deps.retry,
      signal,
      shouldRetry: (e) => isRetryableNow(e) && !isRefusedLink(e),
    });
  const invalid = (endpoint: string, message: string, field?: string): ProviderError =>
    new ProviderError({
      provider: 'kallglot',
      kind: 'invalid_response',
      endpoint,
      message,
      field,
    });

  function retrieve(id: string, signal?: AbortSignal): Promise<KallglotRecording> {
    return retrying(signal, () =>
      http.json(kallglotRecordingSchema, {
        endpoint: KALLGLOT_RECORDING_ENDPOINT,
        path: `/v1/recordings/${encodeURIComponent(id)}`,
        signal,
      }),
    );
  }

  async function* listSession(
    sessionId: string,
    channel: Channel | undefined,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<RemoteRecording> {
    const firstTime = firstSighting();
    const guard = pageGuard('kallglot', KALLGLOT_SESSION_RECORDINGS_ENDPOINT);
    let after: string | undefined;
    for (;;) {
      const page = await retrying(signal, () =>
        http.json(kallglotListSchema, {
          endpoint: KALLGLOT_SESSION_RECORDINGS_ENDPOINT,
          path: `/v1/sessions/${encodeURIComponent(sessionId)}/recordings`,
          query: { channel, limit: pageSize, starting_after: after },
          signal,
        }),
      );
      let fresh = 0;
      for (const [index, item] of page.data.entries()) {
        if (item.session_id !== sessionId) {
          throw invalid(
            KALLGLOT_SESSION_RECORDINGS_ENDPOINT,
            `Kallglot listed a recording of another session`,
            `data[${index}].session_id`,
          );
        }
        if (!firstTime(item.id)) continue;
        fresh++;
        // Filtered here too, in case the server ignores the parameter.
        if (channel && item.channel !== channel) continue;
        yield toRemoteRecording(item, now());
      }
      if (!page.has_more) return;
      const last = page.data.at(-1);
      if (!last || fresh === 0) {
        // A cursor that does not move would loop forever.
        throw invalid(
          KALLGLOT_SESSION_RECORDINGS_ENDPOINT,
          'Kallglot said has_more but the page brought no new recordings',
          'has_more',
        );
      }
      guard.afterPage(page.data.length, fresh);
      after = last.id;
    }
  }

  async function openDirect(
    path: string,
    recording: RemoteRecording,
    options: OpenOptions,
  ): Promise<RemoteStream> {
    const response = await http.sendForBytes({
      endpoint: KALLGLOT_AUDIO_ENDPOINT,
      path,
      headers: rangeHeaders(options),
      signal: options.signal,
    });
    await throwUnlessBytes(response, KALLGLOT_AUDIO_ENDPOINT);
    return bytesOf(response, KALLGLOT_AUDIO_ENDPOINT, recording, options);
  }

  /** The API's own reply with the file's bytes (no storage host in between). */
  function bytesOf(
    response: AnyReply,
    endpoint: string,
    recording: RemoteRecording,
    options: OpenOptions,
  ): RemoteStream {
    return toRemoteStream(response, {
      provider: 'kallglot',
      endpoint,
      requestedOffset: options.offset ?? 0,
      knownSize: recording.size,
      idleTimeoutMs: deps.idleTimeoutMs,
      signal: options.signal,
    });
  }

  async function throwUnlessBytes(response: AnyReply, endpoint: string): Promise<void> {
    if (response.status === 202) {
      discardReply(response);
      throw new ProviderError({
        provider: 'kallglot',
        kind: 'not_ready',
        endpoint,
        status: 202,
        requestId: response.headers.get('x-request-id'),
        message: withDetails(
          'Kallglot is still preparing this recording; Recvault tries again later by itself.',
          [`HTTP 202 from ${endpoint}`],
        ),
      });
    }
    if (response.status >= 400) throw await http.errorFrom(response, endpoint);
  }

  /** Where the API sends a download: a signed storage URL, or its own 200/206 reply. */
  type DownloadLocation =
    { kind: 'url'; url: URL; fileName: string | null } | { kind: 'reply'; response: Response };

  async function askForLocation(
    recording: RemoteRecording,
    options: OpenOptions,
  ): Promise<DownloadLocation> {
    const endpoint = KALLGLOT_DOWNLOAD_ENDPOINT;
    const response = await http.send({
      endpoint,
      path: `/v1/recordings/${encodeURIComponent(recording.remoteId)}/download`,
      query: { format: formatParam(recording) },
      // Followed by hand: fetch would carry our headers along, and we need the Location.
      redirect: 'manual',
      headers: rangeHeaders(options),
      signal: options.signal,
    });
    await throwUnlessBytes(response, endpoint);
    // A server that streams instead of redirecting.
    if (response.status === 200 || response.status === 206) return { kind: 'reply', response };
    const location = response.headers.get('location');
    await response.body?.cancel().catch(() => undefined);
    if (response.status < 300 || response.status >= 400 || !location) {
      throw invalid(
        endpoint,
        `Kallglot answered HTTP ${response.status} without a download location (${endpoint})`,
        'Location',
      );
    }
    const url = parseMediaUrl(new URL(location, http.url('/')).toString(), {
      provider: 'kallglot',
      endpoint,
      field: 'Location',
    });
    const fileName = contentDispositionFileName(response.headers.get('content-disposition'));
    return { kind: 'url', url, fileName };
  }

  // Signed URLs asked for ahead (prefetch), by recording id; each answer is used at most once.
  // A refusal from the API (rate limit, not ready, auth…) is kept and becomes open()'s own, as
  // if open() had asked: the same request, only earlier.
  type Prefetched = { kind: 'url'; url: URL; fileName: string | null } | ProviderError | null;
  const prefetched = new Map<string, { at: number; answer: Promise<Prefetched> }>();

  function takePrefetched(remoteId: string): Promise<Prefetched> | null {
    const entry = prefetched.get(remoteId);
    if (entry === undefined) return null;
    prefetched.delete(remoteId);
    return now() - entry.at <= PREFETCH_MAX_AGE_MS ? entry.answer : null;
  }

  function prefetch(recording: RemoteRecording, signal?: AbortSignal): void {
    if (kallglotAudioPath(recording.raw.download_url) || formatParam(recording) === null) return;
    if (prefetched.has(recording.remoteId) || signal?.aborted) return;
    while (prefetched.size >= PREFETCH_MAX) {
      prefetched.delete(prefetched.keys().next().value!);
    }
    // No Range: the URL is the same whatever part of the file is asked of storage later.
    const answer = askForLocation(recording, signal === undefined ? {} : { signal }).then(
      (location): Prefetched => {
        if (location.kind === 'url') return location;
        // The API streamed the file itself: open() asks again, with its Range.
        void location.response.body?.cancel().catch(() => undefined);
        return null;
      },
      (error: unknown): Prefetched => (error instanceof ProviderError ? error : null),
    );
    prefetched.set(recording.remoteId, { at: now(), answer });
  }

  async function openViaRedirect(
    recording: RemoteRecording,
    options: OpenOptions,
  ): Promise<RemoteStream> {
    const endpoint = KALLGLOT_DOWNLOAD_ENDPOINT;
    let early = takePrefetched(recording.remoteId);
    for (let renewal = 0; ;) {
      const ahead = early === null ? null : await early;
      early = null;
      if (ahead instanceof ProviderError) throw ahead;
      const location = ahead ?? (await askForLocation(recording, options));
      if (location.kind === 'reply')
        return bytesOf(location.response, endpoint, recording, options);
      try {
        return await openSignedUrl(
          http,
          {
            url: location.url,
            knownSize: recording.size,
            fileName: location.fileName,
            idleTimeoutMs: deps.idleTimeoutMs,
          },
          options,
        );
      } catch (error) {
        // An expired link is renewed by asking the API again (seed 000 notes), a bounded number
        // of times so a storage host that refuses every link cannot loop us. A link fetched
        // ahead that expired meanwhile is not counted.
        if (!isRefusedLink(error)) throw error;
        if (ahead !== null) continue;
        if (renewal++ < maxRenewals) continue;
        throw error;
      }
    }
  }

  return {
    provider: 'kallglot',

    async test(signal) {
      // Kallglot has no "who am I" endpoint. Retrieving an id that cannot exist is one cheap
      // authenticated GET: the key is checked before the lookup, so 404 means it was accepted,
      // and 401/403/402 come back as auth / payment_required errors.
      try {
        await retrieve(KALLGLOT_PROBE_RECORDING_ID, signal);
      } catch (error) {
        if (isProviderError(error) && error.kind === 'not_found') return;
        throw error;
      }
    },

    async *discover(selection, options = {}) {
      if (selection.kind === 'kallglot-session') {
        yield* listSession(selection.sessionId, options.channel, options.signal);
        return;
      }
      if (selection.kind === 'kallglot-recording') {
        const recording = await retrieve(selection.recordingId, options.signal);
        if (!options.channel || recording.channel === options.channel) {
          yield toRemoteRecording(recording, now());
        }
        return;
      }
      throw unsupportedSelection('kallglot', 'discover', selection);
    },

    async describe(recording, signal) {
      return toRemoteRecording(await retrieve(recording.remoteId, signal), now());
    },

    prefetch,

    async open(recording, options = {}) {
      let target = recording;
      const audioPath = kallglotAudioPath(recording.raw.download_url);
      if (!audioPath && formatParam(recording) === null) {
        // Without `format` the API converts to mp3; learn the original format first.
        target = toRemoteRecording(await retrieve(recording.remoteId, options.signal), now());
      }
      return retrying(options.signal, () =>
        audioPath ? openDirect(audioPath, target, options) : openViaRedirect(target, options),
      );
    },
  };
}
