// A fake Kallglot API on 127.0.0.1, following seed pages 000–002 and providers.md: Bearer or
// X-API-Key auth with the documented error bodies, retrieve, list with channel filter and
// cursor pagination, /download redirecting to the fake storage host, the newer /audio stream,
// 202/402/404/410, and X-RateLimit-* headers on every reply.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeAudio } from './audio.ts';
import type { FakeAudioSpec } from './audio.ts';
import {
  createFaults,
  rateLimitHeaders,
  writeJson,
  writeJsonWithFaults,
  writeRedirect,
} from './faults.ts';
import type { Faults } from './faults.ts';
import { createFakeStorage, serveFile } from './storage.ts';
import type { FakeStorage, RecordedRequest } from './storage.ts';
import { closeServer } from './close-server.ts';

export type KallglotChannel = 'mixed' | 'agent' | 'customer';
export type KallglotStatus = 'processing' | 'ready' | 'failed';

/** What the fake does with a key: `valid`, or the documented way it is refused. */
export type KallglotKeyState =
  'valid' | 'expired' | 'revoked' | 'no_scope' | 'suspended' | 'no_credits';

export interface FakeKallglotRecordingSeed {
  id?: string;
  channel: KallglotChannel;
  status?: KallglotStatus;
  /** Default: mixed → stereo mp3, agent / customer → mono wav (as on seed page 001). */
  audio?: FakeAudioSpec;
  createdAt?: string;
  /** Retention deletion time (ISO). Default: 30 days from now. */
  expiresAt?: string;
  /** `redirect`: download_url is a signed storage URL (seed 000); `audio`: the relative form. */
  downloadForm?: 'redirect' | 'audio';
}

export interface FakeKallglotSessionSeed {
  id: string;
  recordings: FakeKallglotRecordingSeed[];
}

export interface FakeKallglotRecording {
  id: string;
  sessionId: string;
  channel: KallglotChannel;
  status: KallglotStatus;
  format: string;
  contentType: string;
  size: number;
  sha256: string;
  durationSec: number;
  sampleRate: number;
  bitDepth: number;
  createdAt: string;
  expiresAt: string;
  downloadForm: 'redirect' | 'audio';
  fileKey: string;
}

export interface StartFakeKallglotOptions {
  /** Shared storage host; one is created (and closed with the fake) when omitted. */
  storage?: FakeStorage;
  /** The valid key (default `sk_test_recvault_fake_key_0001`). */
  apiKey?: string;
  /** More keys and how each is refused. */
  keys?: Record<string, KallglotKeyState>;
  sessions?: FakeKallglotSessionSeed[];
  /** Requests per minute per key before 429 (default 60, the lowest published tier; Pro is 300). */
  rateLimitPerMinute?: number;
  /** Lifetime of signed storage URLs (default 3600 s, as documented). */
  urlTtlSec?: number;
  /** `paginated` (limit/has_more) or `seed` (all recordings, no has_more, as on seed 001). */
  listStyle?: 'paginated' | 'seed';
  now?: () => number;
  /** Added before every API request is answered, like a distant API host (default 0). */
  latencyMs?: number;
}

export interface FakeKallglot {
  baseUrl: string;
  apiKey: string;
  storage: FakeStorage;
  /** API-side faults (the storage host has its own: `storage.faults`). */
  faults: Faults;
  requests: RecordedRequest[];
  recordings: Map<string, FakeKallglotRecording>;
  sessions: Map<string, string[]>;
  urlTtlSec: number;
  listStyle: 'paginated' | 'seed';
  addSession(seed: FakeKallglotSessionSeed): Promise<FakeKallglotRecording[]>;
  update(id: string, patch: Partial<Pick<FakeKallglotRecording, 'status' | 'expiresAt'>>): void;
  close(): Promise<void>;
}

export const FAKE_KALLGLOT_KEY = 'sk_test_recvault_fake_key_0001';

/** A dual-channel session as on seed page 001: mixed stereo mp3, agent and customer mono wav. */
export function dualChannelSession(
  id: string,
  options: Omit<FakeKallglotRecordingSeed, 'channel' | 'id' | 'audio'> = {},
): FakeKallglotSessionSeed {
  return {
    id,
    recordings: (['mixed', 'agent', 'customer'] as const).map((channel) => ({
      ...options,
      channel,
    })),
  };
}

const KEY_REFUSALS: Record<Exclude<KallglotKeyState, 'valid'>, [number, string, string]> = {
  expired: [401, 'expired_api_key', 'The API key has expired.'],
  revoked: [401, 'revoked_api_key', 'The API key has been revoked.'],
  no_scope: [403, 'insufficient_permissions', 'The API key lacks the recordings:read scope.'],
  suspended: [403, 'organization_suspended', 'The organization is suspended.'],
  no_credits: [402, 'insufficient_api_credits', 'The organization has no API credits left.'],
};

const FORMATS = new Set(['mp3', 'wav', 'ogg']);
const SAMPLE_RATES = new Set(['8000', '16000', '22050', '44100', '48000']);

function defaultAudio(channel: KallglotChannel): FakeAudioSpec {
  return channel === 'mixed' ? { channel, format: 'mp3' } : { channel, format: 'wav' };
}

/** Content-Disposition that survives any name: quoted when plain, RFC 5987 form otherwise. */
function contentDisposition(fileName: string): string {
  return /^[\x20-\x7e]*$/.test(fileName) && !/["\\]/.test(fileName)
    ? `attachment; filename="${fileName}"`
    : `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** The documented lowest tier (providers.md: 60 requests/min free and Starter; 300 on Pro). */
export const KALLGLOT_LOWEST_TIER_PER_MINUTE = 60;
/** The Pro tier, for tests that run many syncs against one fake within a minute. */
export const KALLGLOT_PRO_PER_MINUTE = 300;

export async function startFakeKallglot(
  options: StartFakeKallglotOptions = {},
): Promise<FakeKallglot> {
  const now = options.now ?? Date.now;
  const ownStorage = !options.storage;
  const storage = options.storage ?? (await createFakeStorage({ now }));
  const apiKey = options.apiKey ?? FAKE_KALLGLOT_KEY;
  const keys: Record<string, KallglotKeyState> = { ...options.keys, [apiKey]: 'valid' };
  const perMinute = options.rateLimitPerMinute ?? KALLGLOT_LOWEST_TIER_PER_MINUTE;
  const faults = createFaults();
  const requests: RecordedRequest[] = [];
  const recordings = new Map<string, FakeKallglotRecording>();
  const sessions = new Map<string, string[]>();
  const windows = new Map<string, { start: number; count: number }>();
  const latencyMs = Math.max(0, options.latencyMs ?? 0);
  let requestCounter = 0;
  let recordingCounter = 0;

  async function addSession(seed: FakeKallglotSessionSeed): Promise<FakeKallglotRecording[]> {
    const ids = sessions.get(seed.id) ?? [];
    sessions.set(seed.id, ids);
    const added: FakeKallglotRecording[] = [];
    for (const r of seed.recordings) {
      const audio = await fakeAudio(r.audio ?? defaultAudio(r.channel));
      recordingCounter++;
      const id = r.id ?? `rec_fake${String(recordingCounter).padStart(8, '0')}`;
      const fileKey = `recordings/${id}.${audio.format}`;
      await storage.put(fileKey, audio.path, audio.contentType);
      const t = now();
      const recording: FakeKallglotRecording = {
        id,
        sessionId: seed.id,
        channel: r.channel,
        status: r.status ?? 'ready',
        format: audio.format,
        contentType: audio.contentType,
        size: audio.size,
        sha256: audio.sha256,
        durationSec: audio.durationSec,
        sampleRate: audio.sampleRate,
        bitDepth: 16,
        createdAt: r.createdAt ?? new Date(t - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
        expiresAt:
          r.expiresAt ?? new Date(t + 30 * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z'),
        downloadForm: r.downloadForm ?? 'redirect',
        fileKey,
      };
      recordings.set(id, recording);
      ids.push(id);
      added.push(recording);
    }
    return added;
  }

  const isExpired = (r: FakeKallglotRecording): boolean => Date.parse(r.expiresAt) <= now();
  const statusOf = (r: FakeKallglotRecording, path: string): KallglotStatus =>
    faults.peek('stuck_processing', path) || faults.peek('stuck_processing', r.id)
      ? 'processing'
      : r.status;

  function recordingJson(r: FakeKallglotRecording, path: string, full: boolean) {
    const status = statusOf(r, path);
    const base = {
      id: r.id,
      object: 'recording',
      session_id: r.sessionId,
      channel: r.channel,
      duration: r.durationSec,
      format: r.format,
      size: r.size,
      status,
      created_at: r.createdAt,
      expires_at: r.expiresAt,
    };
    if (!full) return base; // list items carry no link (seed page 001)
    let downloadUrl: string | null = null;
    if (status === 'ready' && !isExpired(r)) {
      downloadUrl =
        r.downloadForm === 'audio'
          ? `/v1/recordings/${r.id}/audio`
          : storage.sign(r.fileKey, fake.urlTtlSec);
    }
    return { ...base, sample_rate: r.sampleRate, bit_depth: r.bitDepth, download_url: downloadUrl };
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://kallglot.invalid');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      status: 0,
    };
    requests.push(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    requestCounter++;
    const requestId = `req_fake${String(requestCounter).padStart(8, '0')}`;
    res.setHeader('x-request-id', requestId);
    const answer = (): void => {
      handle(req, res, url, requestId).catch((error: unknown) => {
        if (!res.headersSent) {
          sendError(res, requestId, 500, 'api_error', 'internal_error', String(error));
        } else res.destroy();
      });
    };
    if (latencyMs > 0) setTimeout(answer, latencyMs);
    else answer();
  });

  function sendError(
    res: ServerResponse,
    requestId: string,
    status: number,
    type: string,
    code: string,
    message: string,
    extra: { param?: string; retry_after?: number } = {},
    headers: Record<string, string> = {},
  ): void {
    writeJson(
      res,
      status,
      {
        error: { type, code, message, param: extra.param ?? null, request_id: requestId, ...extra },
      },
      headers,
    );
  }

  function authenticate(req: IncomingMessage): string | null {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const header = req.headers['x-api-key'];
    return bearer ?? (typeof header === 'string' ? header : null);
  }

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    requestId: string,
  ): Promise<void> {
    const path = url.pathname;
    const fail = (
      status: number,
      type: string,
      code: string,
      message: string,
      extra: { param?: string; retry_after?: number } = {},
      headers: Record<string, string> = {},
    ): void => sendError(res, requestId, status, type, code, message, extra, headers);

    const moved = faults.take('redirect', path);
    if (moved) return writeRedirect(res, moved);
    const outage = faults.take('server_error', path);
    if (outage) return fail(outage.status ?? 503, 'api_error', 'service_unavailable', 'Try again.');

    const key = authenticate(req);
    if (!key) return fail(401, 'authentication_error', 'missing_api_key', 'No API key provided.');
    const state = keys[key];
    if (!state) return fail(401, 'authentication_error', 'invalid_api_key', 'Invalid API key.');
    if (state !== 'valid') {
      const [status, code, message] = KEY_REFUSALS[state];
      const type = status === 402 ? 'billing_error' : 'authentication_error';
      return fail(status, type, code, message);
    }

    // Fixed one-minute window per key; the headers go on every authenticated reply.
    const t = now();
    const start = Math.floor(t / 60_000) * 60_000;
    const window = windows.get(key);
    const current = window && window.start === start ? window : { start, count: 0 };
    windows.set(key, current);
    current.count++;
    const resetSec = Math.ceil((start + 60_000) / 1000);
    res.setHeader('x-ratelimit-limit', String(perMinute));
    res.setHeader('x-ratelimit-remaining', String(Math.max(0, perMinute - current.count)));
    res.setHeader('x-ratelimit-reset', String(resetSec));
    const injected = faults.take('rate_limit', path);
    if (injected || current.count > perMinute) {
      let headers: Record<string, string>;
      if (injected) {
        // An injected 429 speaks only in the form it was armed with.
        res.removeHeader('x-ratelimit-reset');
        headers = rateLimitHeaders(injected, t);
      } else {
        headers = { 'retry-after': String(Math.max(1, resetSec - Math.floor(t / 1000))) };
      }
      const retryAfter = Number(headers['retry-after'] ?? 1) || 1;
      return fail(
        429,
        'rate_limit_error',
        'rate_limit_exceeded',
        'Too many requests.',
        { retry_after: retryAfter },
        headers,
      );
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return fail(405, 'invalid_request_error', 'method_not_allowed', 'Only GET is supported.');
    }
    const reply = (body: unknown): void => writeJsonWithFaults(res, faults, path, 200, body);

    let match = /^\/v1\/recordings\/([^/]+)$/.exec(path);
    if (match) {
      const r = recordings.get(decodeURIComponent(match[1] ?? ''));
      if (!r) return fail(404, 'invalid_request_error', 'resource_missing', 'No such recording.');
      return reply(recordingJson(r, path, true));
    }

    match = /^\/v1\/sessions\/([^/]+)\/recordings$/.exec(path);
    if (match) {
      const sessionId = decodeURIComponent(match[1] ?? '');
      const ids = sessions.get(sessionId);
      if (!ids) return fail(404, 'invalid_request_error', 'resource_missing', 'No such session.');
      const channel = url.searchParams.get('channel');
      if (channel !== null && !['mixed', 'agent', 'customer'].includes(channel)) {
        return fail(400, 'invalid_request_error', 'parameter_invalid', 'Invalid channel.', {
          param: 'channel',
        });
      }
      let items = ids
        .map((id) => recordings.get(id))
        .filter((r): r is FakeKallglotRecording => !!r && (!channel || r.channel === channel));
      if (fake.listStyle === 'seed') {
        return reply({
          object: 'list',
          data: items.map((r) => recordingJson(r, path, false)),
          session_id: sessionId,
        });
      }
      const limitText = url.searchParams.get('limit') ?? '20';
      const limit = Number(limitText);
      if (!/^\d+$/.test(limitText) || limit < 1 || limit > 100) {
        return fail(400, 'invalid_request_error', 'parameter_invalid', 'limit must be 1-100.', {
          param: 'limit',
        });
      }
      const after = url.searchParams.get('starting_after');
      const before = url.searchParams.get('ending_before');
      let hasMore: boolean;
      if (after !== null || before !== null) {
        const cursor = (after ?? before) as string;
        const at = items.findIndex((r) => r.id === cursor);
        if (at < 0) {
          return fail(400, 'invalid_request_error', 'resource_missing', 'Unknown cursor.', {
            param: after !== null ? 'starting_after' : 'ending_before',
          });
        }
        if (after !== null) {
          items = items.slice(at + 1);
          hasMore = items.length > limit;
          items = items.slice(0, limit);
        } else {
          items = items.slice(0, at);
          hasMore = items.length > limit;
          items = items.slice(-limit);
        }
      } else {
        hasMore = items.length > limit;
        items = items.slice(0, limit);
      }
      return reply({
        object: 'list',
        data: items.map((r) => recordingJson(r, path, false)),
        session_id: sessionId,
        has_more: hasMore,
      });
    }

    match = /^\/v1\/recordings\/([^/]+)\/(download|audio)$/.exec(path);
    if (match) {
      const r = recordings.get(decodeURIComponent(match[1] ?? ''));
      if (!r) return fail(404, 'invalid_request_error', 'resource_missing', 'No such recording.');
      if (isExpired(r)) {
        return fail(410, 'invalid_request_error', 'recording_expired', 'Deleted by retention.');
      }
      const status = statusOf(r, path);
      if (status === 'processing') {
        return writeJson(res, 202, { object: 'recording', id: r.id, status: 'processing' });
      }
      if (status === 'failed') {
        return fail(409, 'invalid_request_error', 'recording_failed', 'Recording failed.');
      }
      const hostile = faults.take('hostile_filename', path);
      const fileName = hostile?.fileName ?? `recording-${r.sessionId}.${r.format}`;
      const file = storage.get(r.fileKey);
      if (!file) return fail(404, 'invalid_request_error', 'resource_missing', 'File missing.');

      if (match[2] === 'audio') {
        return serveFile(req, res, file, {
          faults,
          path,
          headers: { 'content-disposition': contentDisposition(fileName) },
        });
      }
      const format = url.searchParams.get('format') ?? 'mp3';
      const sampleRate = url.searchParams.get('sample_rate');
      if (!FORMATS.has(format)) {
        return fail(400, 'invalid_request_error', 'parameter_invalid', 'Invalid format.', {
          param: 'format',
        });
      }
      if (sampleRate !== null && !SAMPLE_RATES.has(sampleRate)) {
        return fail(400, 'invalid_request_error', 'parameter_invalid', 'Invalid sample_rate.', {
          param: 'sample_rate',
        });
      }
      // Conversion "may take a moment": the fake never finishes one, so a client that fails
      // to ask for the original format visibly never gets bytes.
      if (format !== r.format || (sampleRate !== null && Number(sampleRate) !== r.sampleRate)) {
        return writeJson(res, 202, { object: 'recording', id: r.id, status: 'converting' });
      }
      res.writeHead(302, {
        location: storage.sign(r.fileKey, fake.urlTtlSec),
        'content-type': r.contentType,
        // The file's size, as documented; the redirect itself has no body.
        'content-length': String(r.size),
        'content-disposition': contentDisposition(fileName),
        connection: 'close',
      });
      res.end();
      return;
    }

    fail(404, 'invalid_request_error', 'not_found', 'Unknown endpoint.');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeKallglot = {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    storage,
    faults,
    requests,
    recordings,
    sessions,
    urlTtlSec: options.urlTtlSec ?? 3600,
    listStyle: options.listStyle ?? 'paginated',
    addSession,
    update(id, patch) {
      const r = recordings.get(id);
      if (!r) throw new Error(`no fake recording ${id}`);
      Object.assign(r, patch);
    },
    async close() {
      await closeServer(server);
      if (ownStorage) await storage.close();
    },
  };
  for (const seed of options.sessions ?? []) await addSession(seed);
  return fake;
}
