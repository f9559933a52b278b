// A fake Kore.ai SmartAssist on 127.0.0.1: JWT-checked v2 recordings and getSessions, with file
// URLs on the shared fake storage host that expire (`e=`) like the real getMediaStream links.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeAudio } from './audio.ts';
import type { FakeAudioFormat } from './audio.ts';
import {
  createFaults,
  rateLimitHeaders,
  sendBody,
  writeHugeJson,
  writeRedirect,
} from './faults.ts';
import type { Faults } from './faults.ts';
import { checkKoreaiJwt } from './koreai-jwt-check.ts';
import type { FakeStorage, StoredFile } from './storage.ts';
import { closeServer } from './close-server.ts';

export const KOREAI_STATUSES = [
  'success',
  'media_unavailable',
  'call_in_progress',
  'media_in_progress',
  'failed',
] as const;

export interface FakeKoreaiFileSeed {
  /** The provider's file name, sent as-is (hostile names included). */
  fileName: string;
  data: Buffer;
  contentType: string;
  /** Extension of the storage object, which is what the URL path ends with. */
  ext: string;
}

export interface FakeKoreaiSessionSeed {
  sessionId?: string;
  userId: string;
  /** ISO time the session started; getSessions filters and sorts on it. */
  startTime: string;
  endTime?: string;
  /** A documented status word, or any other word to test unknown ones. Default success. */
  status?: string;
  files?: FakeKoreaiFileSeed[];
}

export interface FakeKoreaiFile {
  fileName: string;
  storageKey: string;
  stored: StoredFile;
}

export interface FakeKoreaiSession {
  sessionId: string;
  userId: string;
  startTime: string;
  endTime: string;
  status: string;
  files: FakeKoreaiFile[];
}

export interface KoreaiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  /** Why the JWT was refused, when it was. */
  rejection: string | null;
}

export interface StartFakeKoreaiOptions {
  storage: FakeStorage;
  faults?: Faults;
  botId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of issued file URLs (negative: already expired). Default 300 s. */
  urlTtlSec?: number;
  /** Refuse a replayed jti (default true). */
  enforceJti?: boolean;
  /** Put the received token into error messages, to prove the client scrubs it. */
  echoTokenInErrors?: boolean;
  /** Seed a few sessions with real audio (default true). */
  seedDefaults?: boolean;
  now?: () => number;
}

export interface FakeKoreai {
  /** The `host` of the account config (scheme + host + port). */
  baseUrl: string;
  botId: string;
  clientId: string;
  clientSecret: string;
  storage: FakeStorage;
  faults: Faults;
  requests: KoreaiRequest[];
  sessions: Map<string, FakeKoreaiSession>;
  addSession(seed: FakeKoreaiSessionSeed): FakeKoreaiSession;
  /** A session with one real `-merged` stereo file in `format`. */
  addAudioSession(
    seed: Omit<FakeKoreaiSessionSeed, 'files'> & { format?: FakeAudioFormat; fileName?: string },
  ): Promise<FakeKoreaiSession>;
  setStatus(sessionId: string, status: string): void;
  /** Answer the session's recordings request with this JSON as-is (null: back to normal). */
  setRawReply(sessionId: string, body: unknown): void;
  setUrlTtl(sec: number): void;
  close(): Promise<void>;
}

const ROUTE = /^\/api\/public\/bot\/([^/]+)\/(v2\/recordings|getSessions)$/;
const DAY_MS = 86_400_000;

export async function startFakeKoreai(options: StartFakeKoreaiOptions): Promise<FakeKoreai> {
  const storage = options.storage;
  const faults = options.faults ?? createFaults();
  const now = options.now ?? Date.now;
  // Fixed defaults, so a developer or an e2e test can paste them into the app across restarts.
  const botId = options.botId ?? 'st-recvault-fake-bot-0001';
  const clientId = options.clientId ?? 'cs-recvault-fake-client-0001';
  const clientSecret = options.clientSecret ?? 'recvault-fake-koreai-client-secret-0001';
  const seenJtis = options.enforceJti === false ? null : new Set<string>();
  const sessions = new Map<string, FakeKoreaiSession>();
  const requests: KoreaiRequest[] = [];
  const rawReplies = new Map<string, unknown>();
  let urlTtlSec = options.urlTtlSec ?? 300;

  const addSession = (seed: FakeKoreaiSessionSeed): FakeKoreaiSession => {
    const sessionId = seed.sessionId ?? randomBytes(12).toString('hex');
    const files = (seed.files ?? []).map((file, index): FakeKoreaiFile => {
      // The storage object is named by the fake, never by the (possibly hostile) fileName.
      const storageKey = `koreai-${sessionId}-${index}.${file.ext}`;
      return {
        fileName: file.fileName,
        storageKey,
        stored: storage.putBuffer(storageKey, file.data, file.contentType),
      };
    });
    const session: FakeKoreaiSession = {
      sessionId,
      userId: seed.userId,
      startTime: seed.startTime,
      endTime: seed.endTime ?? new Date(Date.parse(seed.startTime) + 120_000).toISOString(),
      status: seed.status ?? 'success',
      files,
    };
    sessions.set(sessionId, session);
    return session;
  };

  const addAudioSession: FakeKoreai['addAudioSession'] = async (seed) => {
    const format = seed.format ?? 'wav';
    const audio = await fakeAudio({ channel: 'mixed', format });
    const data = await readFile(audio.path);
    const sessionId = seed.sessionId ?? randomBytes(12).toString('hex');
    return addSession({
      ...seed,
      sessionId,
      files: [
        {
          fileName: seed.fileName ?? `${sessionId.slice(0, 28)}-merged.${format}`,
          data,
          contentType: audio.contentType,
          ext: format,
        },
      ],
    });
  };

  /** A getMediaStream-like link: the storage signature plus Kore.ai's `e`, `n`, `s` params. */
  const fileUrl = (file: FakeKoreaiFile): string => {
    const url = new URL(storage.sign(file.storageKey, urlTtlSec));
    url.searchParams.set('e', url.searchParams.get('expires') ?? '');
    url.searchParams.set('n', String(Math.floor(Math.random() * 1e10)));
    url.searchParams.set('s', randomBytes(16).toString('base64'));
    return url.toString();
  };

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
        ...headers,
      },
      data,
      faults,
      path,
    });
  }

  const errorBody = (msg: string, code: number | string): unknown => ({
    errors: [{ msg, code }],
  });

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    record: KoreaiRequest,
  ): Promise<void> {
    const path = url.pathname;
    const token = typeof req.headers.auth === 'string' ? req.headers.auth : undefined;
    const echo = options.echoTokenInErrors && token ? ` (token ${token})` : '';

    const moved = faults.take('redirect', path);
    if (moved) return writeRedirect(res, moved);
    const outage = faults.take('server_error', path);
    if (outage) {
      return reply(req, res, path, outage.status ?? 503, errorBody('Service unavailable', 503));
    }
    const limited = faults.take('rate_limit', path);
    if (limited) {
      return reply(req, res, path, 429, errorBody('Too many requests', 429), {
        ...rateLimitHeaders(limited, now()),
      });
    }

    const route = ROUTE.exec(path);
    if (!route) return reply(req, res, path, 404, errorBody('Not found', 404));

    const check = checkKoreaiJwt(token, { clientId, clientSecret, nowMs: now(), seenJtis });
    if (!check.ok) {
      record.rejection = check.reason;
      return reply(req, res, path, 401, errorBody(`Invalid JWT: ${check.reason}`, 401));
    }
    if (decodeURIComponent(route[1] ?? '') !== botId) {
      return reply(req, res, path, 403, errorBody('The app is not authorized for this bot', 403));
    }

    if (route[2] === 'v2/recordings') {
      if (req.method !== 'GET') return reply(req, res, path, 405, errorBody('GET only', 405));
      const sessionId = url.searchParams.get('sessionId');
      const userId = url.searchParams.get('userId');
      if (!sessionId || !userId) {
        return reply(
          req,
          res,
          path,
          400,
          errorBody(`sessionId and userId are required${echo}`, 400),
        );
      }
      const session = sessions.get(sessionId);
      if (!session || session.userId !== userId) {
        return reply(req, res, path, 404, errorBody(`Session not found${echo}`, 404));
      }
      if (rawReplies.has(sessionId)) return reply(req, res, path, 200, rawReplies.get(sessionId));
      const status = faults.peek('stuck_processing', path) ? 'media_in_progress' : session.status;
      const hostile = status === 'success' ? faults.take('hostile_filename', path) : null;
      const recording =
        status === 'success'
          ? session.files.map((file, i) => ({
              fileName: hostile
                ? `${hostile.fileName}${session.files.length > 1 ? `-${i}` : ''}`
                : file.fileName,
              fileUrl: fileUrl(file),
            }))
          : [];
      return reply(req, res, path, 200, { status, recording });
    }

    // getSessions
    if (req.method !== 'POST') return reply(req, res, path, 405, errorBody('POST only', 405));
    let body: Record<string, unknown>;
    try {
      body = record.body ? (JSON.parse(record.body) as Record<string, unknown>) : {};
    } catch {
      return reply(req, res, path, 400, errorBody('Body is not JSON', 400));
    }
    const to = typeof body.dateTo === 'string' ? Date.parse(body.dateTo) : now();
    const from = typeof body.dateFrom === 'string' ? Date.parse(body.dateFrom) : to - 7 * DAY_MS;
    if (Number.isNaN(from) || Number.isNaN(to) || from > to) {
      return reply(req, res, path, 400, errorBody('Invalid dateFrom/dateTo', 400));
    }
    if (to - from >= 7 * DAY_MS) {
      return reply(req, res, path, 400, errorBody('Date range should be less than 7 days', 400));
    }
    const skip = faults.take('repeat_page', path) ? 0 : Number(body.skip ?? 0);
    const limit = Number(body.limit ?? 100);
    if (!Number.isInteger(skip) || skip < 0 || !Number.isInteger(limit) || limit < 1) {
      return reply(req, res, path, 400, errorBody('Invalid skip/limit', 400));
    }
    const userId = typeof body.userId === 'string' ? body.userId : null;
    const matching = [...sessions.values()]
      .filter((s) => {
        const at = Date.parse(s.startTime);
        return at >= from && at <= to && (userId === null || s.userId === userId);
      })
      .sort((a, b) => Date.parse(b.startTime) - Date.parse(a.startTime));
    const page = matching.slice(skip, skip + limit);
    return reply(req, res, path, 200, {
      total: matching.length,
      moreAvailable: skip + page.length < matching.length,
      sessions: page.map((s) => ({
        sessionId: s.sessionId,
        botId,
        channel: 'ivr',
        userId: s.userId,
        start_time: s.startTime,
        end_time: s.endTime,
        sessionType: 'interactive',
      })),
    });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://koreai.invalid');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const record: KoreaiRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: { ...req.headers },
        body: Buffer.concat(chunks).toString('utf8'),
        status: 0,
        rejection: null,
      };
      requests.push(record);
      res.on('finish', () => {
        record.status = res.statusCode;
      });
      handle(req, res, url, record).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
        else res.destroy();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeKoreai = {
    baseUrl: `http://127.0.0.1:${port}`,
    botId,
    clientId,
    clientSecret,
    storage,
    faults,
    requests,
    sessions,
    addSession,
    addAudioSession,
    setStatus(sessionId, status) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no fake Kore.ai session ${sessionId}`);
      session.status = status;
    },
    setRawReply(sessionId, body) {
      if (body === null) rawReplies.delete(sessionId);
      else rawReplies.set(sessionId, body);
    },
    setUrlTtl(sec) {
      urlTtlSec = sec;
    },
    close() {
      return closeServer(server);
    },
  };

  if (options.seedDefaults !== false) await seedDefaultSessions(fake, now());
  return fake;
}

/** A small demo data set: one session per status, spread over the last days. */
async function seedDefaultSessions(fake: FakeKoreai, nowMs: number): Promise<void> {
  const at = (hoursAgo: number): string => new Date(nowMs - hoursAgo * 3_600_000).toISOString();
  await fake.addAudioSession({ userId: 'agent.smith@example.com', startTime: at(2) });
  await fake.addAudioSession({
    userId: 'agent.smith@example.com',
    startTime: at(30),
    format: 'mp3',
  });
  for (const [i, status] of KOREAI_STATUSES.filter((s) => s !== 'success').entries()) {
    fake.addSession({ userId: 'agent.jones@example.com', startTime: at(5 + i), status });
  }
}
