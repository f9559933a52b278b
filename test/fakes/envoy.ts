// A fake Envoy API on 127.0.0.1 (base path /api/v1): Bearer auth with an optional organization
// header, the call list with date/status filters and page-number pagination, single calls, and
// recordings whose time-limited url points at the shared fake storage host.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeAudio } from './audio.ts';
import {
  createFaults,
  rateLimitHeaders,
  sendBody,
  writeHugeJson,
  writeRedirect,
} from './faults.ts';
import type { Faults } from './faults.ts';
import type { FakeStorage, StoredFile } from './storage.ts';
import { closeServer } from './close-server.ts';

export const ENVOY_CALL_ID = /^call_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** recording_status words the fake treats as downloadable. */
const READY_WORDS = new Set(['AVAILABLE', 'COMPLETED']);

export interface FakeEnvoyMedia {
  data: Buffer;
  contentType: string;
  ext: string;
}

export interface FakeEnvoyCallSeed {
  id?: string;
  /** ISO time of the call; the list filters and sorts on it. */
  callTime: string;
  status?: string;
  direction?: 'INBOUND' | 'OUTBOUND';
  phoneNumber?: string | null;
  fromNumber?: string | null;
  toNumber?: string | null;
  recordingStatus?: string;
  media?: FakeEnvoyMedia | null;
  durationSeconds?: number | null;
  /** Send file_size_bytes (default true); false sends null. */
  reportSize?: boolean;
  recordingStartTime?: string | null;
}

export interface FakeEnvoyCall {
  id: string;
  callTime: string;
  status: string;
  direction: string;
  phoneNumber: string | null;
  fromNumber: string | null;
  toNumber: string | null;
  recordingStatus: string;
  storageKey: string | null;
  stored: StoredFile | null;
  durationSeconds: number | null;
  reportSize: boolean;
  recordingStartTime: string | null;
}

export interface EnvoyRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  status: number;
}

export interface StartFakeEnvoyOptions {
  storage: FakeStorage;
  faults?: Faults;
  apiKey?: string;
  /** A valid key without access to calls: answers 403. */
  forbiddenApiKey?: string;
  organizationId?: string;
  /** Refuse requests without X-Organization-ID (a header naming another org is always 403). */
  requireOrganization?: boolean;
  /** Lifetime of playback URLs (negative: already expired). Default 300 s. */
  urlTtlSec?: number;
  /** Seed a few calls with real audio/mp4 and video/mp4 (default true). */
  seedDefaults?: boolean;
  now?: () => number;
}

export interface FakeEnvoy {
  /** API base including /api/v1, like https://tryenvoy.ai/api/v1. */
  baseUrl: string;
  apiKey: string;
  forbiddenApiKey: string;
  organizationId: string;
  storage: FakeStorage;
  faults: Faults;
  requests: EnvoyRequest[];
  calls: Map<string, FakeEnvoyCall>;
  addCall(seed: FakeEnvoyCallSeed): FakeEnvoyCall;
  /** A call with a real recording: m4a (audio/mp4, default) or mp4 (video/mp4). */
  addAudioCall(
    seed: Omit<FakeEnvoyCallSeed, 'media'> & { format?: 'm4a' | 'mp4' },
  ): Promise<FakeEnvoyCall>;
  setRecordingStatus(callId: string, status: string): void;
  /** Answer the call's recording request with this JSON as-is (null: back to normal). */
  setRawRecording(callId: string, body: unknown): void;
  setUrlTtl(sec: number): void;
  close(): Promise<void>;
}

const BASE = '/api/v1';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function startFakeEnvoy(options: StartFakeEnvoyOptions): Promise<FakeEnvoy> {
  const storage = options.storage;
  const faults = options.faults ?? createFaults();
  const now = options.now ?? Date.now;
  // Fixed defaults, so a developer or an e2e test can paste them into the app across restarts.
  const apiKey = options.apiKey ?? 'envoy_test_recvault_fake_key_0001';
  const forbiddenApiKey = options.forbiddenApiKey ?? 'envoy_test_recvault_no_access_key';
  const organizationId = options.organizationId ?? 'org_recvault_fake_0001';
  const calls = new Map<string, FakeEnvoyCall>();
  const rawRecordings = new Map<string, unknown>();
  const requests: EnvoyRequest[] = [];
  let urlTtlSec = options.urlTtlSec ?? 300;

  const addCall = (seed: FakeEnvoyCallSeed): FakeEnvoyCall => {
    const id = seed.id ?? `call_${randomUUID()}`;
    const storageKey = seed.media ? `envoy-${id}.${seed.media.ext}` : null;
    const call: FakeEnvoyCall = {
      id,
      callTime: seed.callTime,
      status: seed.status ?? 'COMPLETED',
      direction: seed.direction ?? 'INBOUND',
      phoneNumber: seed.phoneNumber === undefined ? '+15550100' : seed.phoneNumber,
      fromNumber: seed.fromNumber === undefined ? '+15550100' : seed.fromNumber,
      toNumber: seed.toNumber === undefined ? '+15550199' : seed.toNumber,
      recordingStatus: seed.recordingStatus ?? (seed.media ? 'AVAILABLE' : 'PROCESSING'),
      storageKey,
      stored:
        seed.media && storageKey
          ? storage.putBuffer(storageKey, seed.media.data, seed.media.contentType)
          : null,
      durationSeconds: seed.durationSeconds === undefined ? null : seed.durationSeconds,
      reportSize: seed.reportSize ?? true,
      recordingStartTime:
        seed.recordingStartTime === undefined ? seed.callTime : seed.recordingStartTime,
    };
    calls.set(id, call);
    return call;
  };

  const addAudioCall: FakeEnvoy['addAudioCall'] = async (seed) => {
    const format = seed.format ?? 'm4a';
    const audio = await fakeAudio({ channel: 'mixed', format });
    return addCall({
      durationSeconds: audio.durationSec,
      ...seed,
      media: { data: await readFile(audio.path), contentType: audio.contentType, ext: format },
    });
  };

  const callJson = (call: FakeEnvoyCall): Record<string, unknown> => ({
    id: call.id,
    status: call.status,
    call_time: call.callTime,
    call_start_time: call.callTime,
    call_end_time: new Date(Date.parse(call.callTime) + 90_000).toISOString(),
    call_direction: call.direction,
    phone_number: call.phoneNumber,
    from_number: call.fromNumber,
    to_number: call.toNumber,
    recording_status: call.recordingStatus,
    organization_id: organizationId,
  });

  async function reply(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<void> {
    let text = JSON.stringify(body);
    if (faults.take('malformed_json', path)) text = text.slice(0, Math.floor(text.length / 2));
    const huge = faults.take('huge_json', path);
    if (huge) return writeHugeJson(res, status, text, huge.bytes);
    const data = Buffer.from(text);
    await sendBody(req, res, {
      status,
      headers: {
        'content-type': 'application/json',
        'content-length': String(data.length),
        'x-request-id': `req_${randomBytes(6).toString('hex')}`,
        ...headers,
      },
      data,
      faults,
      path,
    });
  }

  /** FastAPI-style validation error, as Envoy's 422 answers. */
  const invalid = (loc: string[], msg: string): unknown => ({
    detail: [{ loc, msg, type: 'value_error' }],
  });

  function recordingJson(call: FakeEnvoyCall, path: string): Record<string, unknown> {
    const stuck = faults.peek('stuck_processing', path) !== null;
    const status = stuck ? 'PROCESSING' : call.recordingStatus;
    const ready = READY_WORDS.has(status.toUpperCase()) && call.storageKey !== null;
    let url: string | null = null;
    let expiresAt: string | null = null;
    if (ready && call.storageKey) {
      url = storage.sign(call.storageKey, urlTtlSec);
      expiresAt = new Date(Number(new URL(url).searchParams.get('expires')) * 1000).toISOString();
    }
    return {
      call_id: call.id,
      url,
      content_type: call.stored?.contentType ?? null,
      expires_at: expiresAt,
      recording_status: status,
      duration_seconds: call.durationSeconds,
      file_size_bytes: call.reportSize && call.stored ? call.stored.data.length : null,
      recording_start_time: call.recordingStartTime,
    };
  }

  async function listCalls(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    path: string,
  ): Promise<void> {
    const q = url.searchParams;
    const page = faults.take('repeat_page', path) ? 1 : Number(q.get('page') ?? '1');
    const pageSize = Number(q.get('page_size') ?? '20');
    if (!Number.isInteger(page) || page < 1) {
      return reply(req, res, path, 422, invalid(['query', 'page'], 'must be an integer >= 1'));
    }
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
      return reply(req, res, path, 422, invalid(['query', 'page_size'], 'must be 1..100'));
    }
    const bounds: Record<string, string | null> = {
      start_date: q.get('start_date'),
      end_date: q.get('end_date'),
    };
    for (const [name, value] of Object.entries(bounds)) {
      if (value !== null && !DATE.test(value)) {
        return reply(req, res, path, 422, invalid(['query', name], 'invalid date format'));
      }
    }
    const status = q.get('status');
    const matching = [...calls.values()]
      .filter((c) => {
        const date = c.callTime.slice(0, 10);
        if (bounds.start_date && date < bounds.start_date) return false;
        if (bounds.end_date && date > bounds.end_date) return false;
        return status === null || c.status === status;
      })
      .sort((a, b) => Date.parse(b.callTime) - Date.parse(a.callTime));
    const totalPages = Math.ceil(matching.length / pageSize);
    const data = matching.slice((page - 1) * pageSize, page * pageSize).map(callJson);
    return reply(req, res, path, 200, {
      data,
      pagination: {
        page,
        page_size: pageSize,
        total_count: matching.length,
        total_pages: totalPages,
        has_next: page < totalPages,
        has_prev: page > 1,
      },
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const moved = faults.take('redirect', path);
    if (moved) return writeRedirect(res, moved);
    const outage = faults.take('server_error', path);
    if (outage)
      return reply(req, res, path, outage.status ?? 503, { detail: 'Service unavailable' });
    const limited = faults.take('rate_limit', path);
    if (limited) {
      return reply(
        req,
        res,
        path,
        429,
        { detail: 'Too many requests' },
        rateLimitHeaders(limited, now()),
      );
    }

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== apiKey && bearer !== forbiddenApiKey) {
      return reply(req, res, path, 401, { detail: 'Invalid or missing authentication' });
    }
    if (bearer === forbiddenApiKey) {
      return reply(req, res, path, 403, { detail: 'This key may not read calls' });
    }
    const org = req.headers['x-organization-id'];
    if ((org !== undefined && org !== organizationId) || (options.requireOrganization && !org)) {
      return reply(req, res, path, 403, { detail: 'Not a member of this organization' });
    }
    if (req.method !== 'GET') return reply(req, res, path, 405, { detail: 'Method Not Allowed' });

    if (path === `${BASE}/calls`) return listCalls(req, res, url, path);
    const match = /^\/api\/v1\/calls\/([^/]+)(\/recording)?$/.exec(path);
    if (!match) return reply(req, res, path, 404, { detail: 'Not Found' });
    const callId = decodeURIComponent(match[1] ?? '');
    if (!ENVOY_CALL_ID.test(callId)) {
      return reply(req, res, path, 422, invalid(['path', 'call_id'], 'invalid call id'));
    }
    const call = calls.get(callId);
    if (!call) return reply(req, res, path, 404, { detail: 'Call not found' });
    if (!match[2]) return reply(req, res, path, 200, callJson(call));
    if (rawRecordings.has(callId)) return reply(req, res, path, 200, rawRecordings.get(callId));
    if (!call.stored) return reply(req, res, path, 404, { detail: 'Recording not found' });
    return reply(req, res, path, 200, recordingJson(call, path));
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://envoy.invalid');
    const record: EnvoyRequest = {
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
    req.resume();
    handle(req, res, url).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeEnvoy = {
    baseUrl: `http://127.0.0.1:${port}${BASE}`,
    apiKey,
    forbiddenApiKey,
    organizationId,
    storage,
    faults,
    requests,
    calls,
    addCall,
    addAudioCall,
    setRecordingStatus(callId, status) {
      const call = calls.get(callId);
      if (!call) throw new Error(`no fake Envoy call ${callId}`);
      call.recordingStatus = status;
    },
    setRawRecording(callId, body) {
      if (body === null) rawRecordings.delete(callId);
      else rawRecordings.set(callId, body);
    },
    setUrlTtl(sec) {
      urlTtlSec = sec;
    },
    close() {
      return closeServer(server);
    },
  };

  if (options.seedDefaults !== false) await seedDefaultCalls(fake, now());
  return fake;
}

/** Demo data: an audio call, a video call, one still processing, one whose recording failed. */
async function seedDefaultCalls(fake: FakeEnvoy, nowMs: number): Promise<void> {
  const at = (hoursAgo: number): string => new Date(nowMs - hoursAgo * 3_600_000).toISOString();
  await fake.addAudioCall({ callTime: at(3), phoneNumber: '+15551230001' });
  await fake.addAudioCall({ callTime: at(26), format: 'mp4', direction: 'OUTBOUND' });
  fake.addCall({ callTime: at(1), status: 'IN_PROGRESS', recordingStatus: 'PROCESSING' });
  fake.addCall({ callTime: at(50), recordingStatus: 'FAILED' });
}
