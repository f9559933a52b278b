// Kore.ai SmartAssist client: v2 recordings of one session, and (optionally) sessions by date
// range through getSessions. Every request carries a freshly signed JWT in the `auth` header.
import { koreaiBaseUrl } from '../contract/provider-origin.ts';
import { accountHttpClient } from './client-deps.ts';
import type { ClientDeps } from './client-deps.ts';
import { ProviderError, isProviderError, notReadyError, unsupportedSelection } from './errors.ts';
import { withDetails } from '../contract/failure-details.ts';
import type { HttpClient } from './http/api-client.ts';
import { signKoreaiJwt } from './koreai-jwt.ts';
import { koreaiDateWindows } from './koreai-range.ts';
import {
  KOREAI_RECORDINGS_ENDPOINT,
  SESSION_PLACEHOLDER_KEY,
  koreaiFileRecording,
  koreaiFileUrl,
  koreaiKeyedFiles,
  koreaiKeyOf,
  koreaiSessionPlaceholder,
  mapKoreaiStatus,
} from './koreai-recording.ts';
import type { KoreaiSessionContext } from './koreai-recording.ts';
import {
  koreaiRecordingsReplySchema,
  koreaiSessionSchema,
  koreaiSessionsReplySchema,
} from './koreai-schemas.ts';
import type {
  KoreaiRecordingEntry,
  KoreaiRecordingsReply,
  KoreaiSession,
} from './koreai-schemas.ts';
import { firstSighting } from './listed-once.ts';
import { pageGuard } from './page-guard.ts';
import { withRetry } from './retry.ts';
import { freshLinkMethods } from './signed-download.ts';
import type { FreshLink, SignedDownload } from './signed-download.ts';
import { cleanFileName } from './stream.ts';
import type {
  DiscoverOptions,
  KoreaiAccountConfig,
  ProviderClient,
  RemoteRecording,
} from './types.ts';

export const KOREAI_SESSIONS_ENDPOINT = '/api/public/bot/{botId}/getSessions';
export const KOREAI_SESSIONS_PAGE_SIZE = 100;

export interface KoreaiClientDeps extends ClientDeps {
  /** getSessions page size (tests use a small one to exercise pagination). */
  sessionsPageSize?: number;
}

// Also matches a token cut short by the error text's length limit.
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){0,2}/g;

/** A server may echo the token it refused; a JWT must never reach an error message or log. */
function withoutTokens(error: unknown): unknown {
  if (!isProviderError(error)) return error;
  const message = error.message.replace(JWT_PATTERN, '[redacted token]');
  if (message === error.message) return error;
  return new ProviderError({
    provider: error.provider,
    kind: error.kind,
    endpoint: error.endpoint,
    status: error.status,
    requestId: error.requestId,
    retryAfterMs: error.retryAfterMs,
    field: error.field,
    message,
  });
}

/**
 * Kore.ai answers 403 when the token is good but the app may not use this bot: most often a
 * mistyped Bot ID. Saying "refused the Client Secret" then sends the user to the wrong field.
 */
function botRefusal(error: unknown, botId: string): unknown {
  if (!(error instanceof ProviderError) || error.kind !== 'auth' || error.status !== 403) {
    return error;
  }
  return new ProviderError({
    provider: error.provider,
    kind: error.kind,
    endpoint: error.endpoint,
    status: error.status,
    requestId: error.requestId,
    message: withDetails(
      `Kore.ai refused access to the bot "${botId}": check the Bot ID, and that this Client ID's app is allowed to use that bot, then retry.`,
      ['HTTP 403', error.requestId && `request id ${error.requestId}`],
    ),
  });
}

export function createKoreaiClient(
  config: KoreaiAccountConfig,
  deps: KoreaiClientDeps = {},
): ProviderClient {
  const now = deps.now ?? Date.now;
  // The table's default is the published limit for runtime APIs: 600 requests per 60 s per bot.
  const http: HttpClient = accountHttpClient(
    {
      provider: 'koreai',
      baseUrl: koreaiBaseUrl(config.host),
      credentialLabel: 'Client ID or Client Secret',
      secrets: [config.clientSecret],
      authHeaders: () => ({
        auth: signKoreaiJwt({
          clientId: config.clientId,
          clientSecret: config.clientSecret,
          nowMs: now(),
        }),
      }),
    },
    deps,
  );
  const botPath = `/api/public/bot/${encodeURIComponent(config.botId)}`;
  const pageSize = deps.sessionsPageSize ?? KOREAI_SESSIONS_PAGE_SIZE;

  async function call<T>(operation: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      return await withRetry(operation, { ...deps.retry, signal });
    } catch (error) {
      throw botRefusal(withoutTokens(error), config.botId);
    }
  }

  function fetchRecordings(
    sessionId: string,
    userId: string,
    signal?: AbortSignal,
  ): Promise<KoreaiRecordingsReply> {
    return call(
      () =>
        http.json(koreaiRecordingsReplySchema, {
          endpoint: KOREAI_RECORDINGS_ENDPOINT,
          path: `${botPath}/v2/recordings`,
          query: { sessionId, userId },
          signal,
        }),
      signal,
    );
  }

  function recordingsOf(
    ctx: KoreaiSessionContext,
    reply: KoreaiRecordingsReply,
  ): RemoteRecording[] {
    const files = reply.recording ?? [];
    if (mapKoreaiStatus(reply.status) !== 'ready' || files.length === 0) {
      return [koreaiSessionPlaceholder(ctx, reply.status)];
    }
    return koreaiKeyedFiles(files).map(({ entry, key }) =>
      koreaiFileRecording(ctx, reply.status, entry, key),
    );
  }

  async function* sessionRecordings(
    ctx: KoreaiSessionContext,
    options: DiscoverOptions,
  ): AsyncGenerator<RemoteRecording> {
    const reply = await fetchRecordings(ctx.sessionId, ctx.userId, options.signal);
    for (const recording of recordingsOf(ctx, reply)) {
      const isPlaceholder = koreaiKeyOf(recording.remoteId) === SESSION_PLACEHOLDER_KEY;
      // The placeholder stands for the whole session, so a channel filter does not hide it.
      if (!isPlaceholder && options.channel && recording.channel !== options.channel) continue;
      yield recording;
    }
  }

  async function* rangeSessions(
    from: string,
    to: string,
    userId: string | undefined,
    signal?: AbortSignal,
  ): AsyncGenerator<KoreaiSession> {
    const firstTime = firstSighting();
    const guard = pageGuard('koreai', KOREAI_SESSIONS_ENDPOINT);
    for (const window of koreaiDateWindows(from, to)) {
      // New to this window: windows overlap at their edges, so a page may repeat another
      // window's sessions, but never all of its own page before it.
      const inWindow = firstSighting();
      for (let skip = 0; ; skip += pageSize) {
        const reply = await call(
          () =>
            http.json(koreaiSessionsReplySchema, {
              endpoint: KOREAI_SESSIONS_ENDPOINT,
              path: `${botPath}/getSessions`,
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                ...window,
                skip,
                limit: pageSize,
                userId,
              }),
              signal,
            }),
          signal,
        );
        let fresh = 0;
        for (const session of reply.sessions) {
          if (inWindow(session.sessionId)) fresh++;
          // Windows and pages can overlap at their edges; a session is listed once.
          if (firstTime(session.sessionId)) yield session;
        }
        if (reply.sessions.length < pageSize || reply.moreAvailable === false) break;
        guard.afterPage(reply.sessions.length, fresh);
      }
    }
  }

  /** The file's link (`fileUrl` expires, `e=`) of a recording that is ready. */
  function fileLink(
    recording: RemoteRecording,
    entry: KoreaiRecordingEntry | null,
  ): SignedDownload {
    if (recording.status !== 'ready' || !entry) {
      throw notReadyError(recording, {
        provider: 'koreai',
        endpoint: KOREAI_RECORDINGS_ENDPOINT,
        what: 'file for this session',
      });
    }
    const url = koreaiFileUrl(entry);
    return {
      url,
      fileName: cleanFileName(entry.fileName),
      idleTimeoutMs: deps.idleTimeoutMs,
    };
  }

  /** Fresh metadata for one file of a session, and its link (asked for each time). */
  async function lookup(recording: RemoteRecording, signal?: AbortSignal): Promise<FreshLink> {
    if (!recording.sessionId || !recording.userId) {
      throw new ProviderError({
        provider: 'koreai',
        kind: 'bad_request',
        endpoint: KOREAI_RECORDINGS_ENDPOINT,
        message: 'Kore.ai recordings need both a session id and a user id',
      });
    }
    const parsed = koreaiSessionSchema.safeParse(recording.raw.session);
    const session = parsed.success ? parsed.data : null;
    const ctx: KoreaiSessionContext = {
      sessionId: recording.sessionId,
      userId: recording.userId,
      session,
    };
    const reply = await fetchRecordings(ctx.sessionId, ctx.userId, signal);
    const keep = (fresh: RemoteRecording): RemoteRecording => ({
      ...fresh,
      recordedAt: fresh.recordedAt ?? recording.recordedAt,
    });
    const files = reply.recording ?? [];
    if (mapKoreaiStatus(reply.status) !== 'ready' || files.length === 0) {
      const placeholder = koreaiSessionPlaceholder(ctx, reply.status);
      const current = keep({
        ...recording,
        status: placeholder.status,
        providerStatus: reply.status,
      });
      return { recording: current, link: () => fileLink(current, null) };
    }
    const key = koreaiKeyOf(recording.remoteId);
    const keyed = koreaiKeyedFiles(files);
    const found =
      key === SESSION_PLACEHOLDER_KEY
        ? // A placeholder resolves to the session's mix (the `-merged` file), else its first file.
          (keyed.find((f) => f.key.startsWith('merged-')) ?? keyed[0])
        : keyed.find((f) => f.key === key);
    if (!found) {
      throw new ProviderError({
        provider: 'koreai',
        kind: 'not_found',
        endpoint: KOREAI_RECORDINGS_ENDPOINT,
        message:
          'Kore.ai no longer lists this file in the session: it may have been deleted at Kore.ai.',
      });
    }
    const current = keep(koreaiFileRecording(ctx, reply.status, found.entry, found.key));
    return { recording: current, link: () => fileLink(current, found.entry) };
  }

  return {
    provider: 'koreai',

    async test(signal) {
      // The app may hold only the "SmartAssist Recordings" scope, so the check uses that
      // endpoint: an unknown session proves the credentials were accepted.
      try {
        await fetchRecordings('recvault-connection-test', 'recvault-connection-test', signal);
      } catch (error) {
        if (isProviderError(error) && (error.kind === 'not_found' || error.kind === 'bad_request'))
          return;
        throw error;
      }
    },

    async *discover(selection, options = {}) {
      if (selection.kind === 'koreai-session') {
        yield* sessionRecordings(
          { sessionId: selection.sessionId, userId: selection.userId },
          options,
        );
        return;
      }
      if (selection.kind === 'koreai-range') {
        const sessions = rangeSessions(
          selection.from,
          selection.to,
          selection.userId,
          options.signal,
        );
        for await (const session of sessions) {
          yield* sessionRecordings(
            { sessionId: session.sessionId, userId: session.userId, session },
            options,
          );
        }
        return;
      }
      throw unsupportedSelection('koreai', KOREAI_RECORDINGS_ENDPOINT, selection);
    },

    ...freshLinkMethods(http, deps.maxUrlRenewals, lookup),
  };
}
