// Contract tests: the Kallglot client under every fault switch of the fakes, and the
// documented refusals (key states, 402, 429 and the rate-limit headers).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKallglotClient } from '../../../main/core/providers/kallglot.ts';
import { ProviderError } from '../../../main/core/providers/errors.ts';
import { createRateLimiter } from '../../../main/core/providers/rate-limit.ts';
import { HOSTILE_FILE_NAMES } from '../../fakes/faults.ts';
import { dualChannelSession } from '../../fakes/kallglot.ts';
import type { FakeKallglotRecording } from '../../fakes/kallglot.ts';
import { collect, readAll, rejectionOf } from '../../support/async.ts';
import { sha256 } from '../../support/bytes.ts';
import { startHarness } from '../../support/provider-clients.ts';
import type { Harness } from '../../support/provider-clients.ts';

let h: Harness;
let mixed: FakeKallglotRecording;

beforeAll(async () => {
  h = await startHarness({
    sessions: [dualChannelSession('sess_faults')],
    keys: {
      sk_test_expired: 'expired',
      sk_test_revoked: 'revoked',
      sk_test_noscope: 'no_scope',
      sk_test_suspended: 'suspended',
      sk_test_nocredits: 'no_credits',
    },
  });
  const id = h.fake.sessions.get('sess_faults')?.[0];
  mixed = h.fake.recordings.get(id ?? '') as FakeKallglotRecording;
});
afterAll(() => h.close());

const retrieveSelection = () => ({ kind: 'kallglot-recording' as const, recordingId: mixed.id });
async function mixedRecording() {
  const [rec] = await collect(h.client.discover(retrieveSelection()));
  if (!rec) throw new Error('missing');
  return rec;
}

describe('refused keys', () => {
  it.each([
    ['sk_test_expired', 'auth', 401, 'expired_api_key'],
    ['sk_test_revoked', 'auth', 401, 'revoked_api_key'],
    ['sk_test_noscope', 'auth', 403, 'insufficient_permissions'],
    ['sk_test_suspended', 'auth', 403, 'organization_suspended'],
    ['sk_test_nocredits', 'payment_required', 402, 'insufficient_api_credits'],
  ])('%s → %s (%i, %s), one request, key never in the message', async (key, kind, status, code) => {
    const before = h.fake.requests.length;
    const error = (await rejectionOf(h.makeClient({}, key).test())) as ProviderError;
    expect(error).toMatchObject({ kind, status });
    expect(error.message).toContain(code);
    expect(error.message).not.toContain(key);
    expect(error.retryable).toBe(false);
    expect(h.fake.requests.length - before).toBe(1);
  });

  it('the fake accepts X-API-Key as well as Bearer (documented alternative)', async () => {
    const response = await fetch(`${h.fake.baseUrl}/v1/recordings/${mixed.id}`, {
      headers: { 'x-api-key': h.fake.apiKey },
    });
    expect(response.status).toBe(200);
    const missing = await fetch(`${h.fake.baseUrl}/v1/recordings/${mixed.id}`);
    expect(missing.status).toBe(401);
    const body = (await missing.json()) as { error: { request_id: string } };
    expect(body.error.request_id).toBe(missing.headers.get('x-request-id'));
  });
});

describe('rate limits', () => {
  it.each([
    ['seconds', 7_000],
    ['date', 7_000],
    ['reset', 7_000],
  ] as const)('429 with %s form: waits what the server asked, then succeeds', async (form, ms) => {
    h.fake.faults.inject(
      { type: 'rate_limit', retryAfterSec: 7, form },
      { match: '/v1/recordings/' },
    );
    h.retryWaits.length = 0;
    const start = h.now();
    const rec = await mixedRecording();
    expect(rec.remoteId).toBe(mixed.id);
    // The retry waited the server's time (date and reset forms lose < 1 s to rounding) …
    expect(h.retryWaits).toHaveLength(1);
    expect(h.retryWaits[0]).toBeGreaterThan(ms - 1000);
    expect(h.retryWaits[0]).toBeLessThanOrEqual(ms + 1000);
    // … and the account's limiter was paused for every request until then.
    expect(h.limiter.pausedUntil - start).toBeGreaterThan(ms - 1000);
  });

  it('gives up with rate_limited and retryAfterMs when 429 persists', async () => {
    h.fake.faults.inject({ type: 'rate_limit', retryAfterSec: 2 }, { times: 10 });
    try {
      const before = h.fake.requests.length;
      const error = (await rejectionOf(h.client.test())) as ProviderError;
      expect(error.kind).toBe('rate_limited');
      expect(error.retryAfterMs).toBe(2000);
      expect(h.fake.requests.length - before).toBe(4); // the default maxAttempts
    } finally {
      h.fake.faults.clear();
    }
  });

  it('a Retry-After beyond the retry cap is handed to the caller, not waited out', async () => {
    h.fake.faults.inject({ type: 'rate_limit', retryAfterSec: 3600 });
    const before = h.fake.requests.length;
    const error = (await rejectionOf(h.client.test())) as ProviderError;
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3_600_000 });
    expect(h.fake.requests.length - before).toBe(1);
  });

  it('pauses before the server refuses: X-RateLimit-Remaining 0 + Reset', async () => {
    const tight = await startHarness({
      sessions: [dualChannelSession('sess_tight')],
      rateLimitPerMinute: 2,
    });
    try {
      for (let i = 0; i < 4; i++) await tight.client.test();
      expect(tight.fake.requests.map((r) => r.status)).toEqual([404, 404, 404, 404]);
      expect(tight.limiterWaits.length).toBeGreaterThan(0);
      expect(Math.max(...tight.limiterWaits)).toBeLessThanOrEqual(60_000);
    } finally {
      await tight.close();
    }
  });

  it('never exceeds the configured requests per minute', async () => {
    let clock = 1_000_000;
    const sent: number[] = [];
    const limiter = createRateLimiter({
      requestsPerMinute: 3,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    const paced = createKallglotClient(
      { provider: 'kallglot', baseUrl: h.fake.baseUrl, apiKey: h.fake.apiKey },
      { limiter, fetch: (input, init) => (sent.push(clock), fetch(input, init)) },
    );
    for (let i = 0; i < 7; i++) await paced.test();
    expect(sent).toHaveLength(7);
    for (const t of sent) {
      expect(sent.filter((u) => u > t - 60_000 && u <= t).length).toBeLessThanOrEqual(3);
    }
    // 7 requests at 3 per minute need two full windows.
    expect((sent.at(-1) ?? 0) - 1_000_000).toBeGreaterThanOrEqual(120_000);
  });
});

describe('server and network faults', () => {
  it('rides out a burst of 5xx with backoff', async () => {
    h.fake.faults.inject({ type: 'server_error', status: 503 }, { times: 3 });
    h.retryWaits.length = 0;
    const before = h.fake.requests.length;
    expect((await mixedRecording()).remoteId).toBe(mixed.id);
    expect(h.fake.requests.slice(before).map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(h.retryWaits).toEqual([250, 500, 1000]); // full jitter at random() = 0.5
  });

  it('a longer burst ends as transient after maxAttempts', async () => {
    h.fake.faults.inject({ type: 'server_error', status: 502 }, { times: 10 });
    try {
      const error = await rejectionOf(h.makeClient({ retry: { maxAttempts: 2 } }).test());
      expect(error).toMatchObject({ kind: 'transient', status: 502 });
    } finally {
      h.fake.faults.clear();
    }
  });

  it('a 5xx from storage is retried and the download completes', async () => {
    h.fake.storage.faults.inject({ type: 'server_error', status: 500 });
    const stream = await h.client.open(await mixedRecording());
    expect(sha256(await readAll(stream.body))).toBe(mixed.sha256);
  });

  it('malformed JSON → invalid_response naming provider and endpoint', async () => {
    h.fake.faults.inject({ type: 'malformed_json' }, { match: '/recordings' });
    const error = (await rejectionOf(
      collect(h.client.discover({ kind: 'kallglot-session', sessionId: 'sess_faults' })),
    )) as ProviderError;
    expect(error).toMatchObject({
      kind: 'invalid_response',
      endpoint: '/v1/sessions/{id}/recordings',
    });
    expect(error.message).toContain('Kallglot');
    expect(error.message).toContain('malformed JSON');
  });

  it('a reply with a wrong field → invalid_response with the field path', async () => {
    const client = h.makeClient({
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const body = (await response.json()) as { data: { channel: string }[] };
        if (body.data[1]) body.data[1].channel = 'stereo';
        return new Response(JSON.stringify(body), { status: 200, headers: response.headers });
      },
    });
    const error = (await rejectionOf(
      collect(client.discover({ kind: 'kallglot-session', sessionId: 'sess_faults' })),
    )) as ProviderError;
    expect(error).toMatchObject({ kind: 'invalid_response', field: 'data[1].channel' });
  });

  it('connection dropped mid-body → transient on the stream; a Range resume completes the file', async () => {
    h.fake.storage.faults.inject({ type: 'drop_mid_body', afterBytes: 10_000 });
    const rec = await mixedRecording();
    const first = await h.client.open(rec);
    const got: Buffer[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const chunk of first.body) got.push(chunk as Buffer);
      })(),
    );
    expect(error).toMatchObject({ kind: 'transient' });
    const head = Buffer.concat(got);
    expect(head.length).toBeLessThan(mixed.size);
    const rest = await h.client.open(rec, { offset: head.length, etag: first.etag });
    expect(rest.status).toBe(206);
    expect(sha256(Buffer.concat([head, await readAll(rest.body)]))).toBe(mixed.sha256);
  });

  it('a body shorter than its Content-Length is an error, never a short file', async () => {
    h.fake.storage.faults.inject({ type: 'short_body', missingBytes: 500 });
    const stream = await h.client.open(await mixedRecording());
    const error = await rejectionOf(readAll(stream.body));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'transient' });
  });

  it('the /audio stream is guarded the same way', async () => {
    const [direct] = await h.fake.addSession({
      id: 'sess_faults_audio',
      recordings: [{ channel: 'agent', downloadForm: 'audio' }],
    });
    h.fake.faults.inject({ type: 'short_body', missingBytes: 100 }, { match: '/audio' });
    const [rec] = await collect(
      h.client.discover({ kind: 'kallglot-recording', recordingId: direct?.id ?? '' }),
    );
    const stream = await h.client.open(rec!);
    expect(await rejectionOf(readAll(stream.body))).toMatchObject({ kind: 'transient' });
  });

  it('a stalled body → transient after the idle timeout', async () => {
    h.fake.storage.faults.inject({ type: 'slow_body', chunkBytes: 1000, delayMs: 400 });
    const stream = await h.makeClient({ idleTimeoutMs: 150 }).open(await mixedRecording());
    const error = (await rejectionOf(readAll(stream.body))) as ProviderError;
    expect(error.kind).toBe('transient');
    expect(error.message).toContain('stopped sending the file part-way');
  });

  it('a trickled body (bytes now and then, never stalled) → transient, not a download held for days', async () => {
    h.fake.storage.faults.inject({ type: 'slow_body', chunkBytes: 100, delayMs: 30 });
    const stream = await h.makeClient({ idleTimeoutMs: 400 }).open(await mixedRecording());
    const error = (await rejectionOf(readAll(stream.body))) as ProviderError;
    expect(error.kind).toBe('transient');
    expect(error.message).toContain('sent the file too slowly');
  });

  it('a slow but moving body completes', async () => {
    h.fake.storage.faults.inject({ type: 'slow_body', chunkBytes: 4000, delayMs: 20 });
    const stream = await h.makeClient({ idleTimeoutMs: 1000 }).open(await mixedRecording());
    expect(sha256(await readAll(stream.body))).toBe(mixed.sha256);
  });

  it('a stuck recording stays not_ready', async () => {
    h.fake.faults.inject({ type: 'stuck_processing' }, { match: mixed.id, times: Infinity });
    try {
      const rec = await mixedRecording();
      expect(rec.status).toBe('pending');
      expect(await rejectionOf(h.client.open(rec))).toMatchObject({ kind: 'not_ready' });
    } finally {
      h.fake.faults.clear();
    }
  });

  it('no answer within the timeout, or a refused connection → transient', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const slow = createKallglotClient(
        { provider: 'kallglot', baseUrl: `http://127.0.0.1:${port}`, apiKey: 'sk_test_x' },
        { timeoutMs: 100, retry: { maxAttempts: 1 } },
      );
      const error = (await rejectionOf(slow.test())) as ProviderError;
      expect(error).toMatchObject({ kind: 'transient' });
      expect(error.message).toContain('100 ms');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
    const refused = createKallglotClient(
      { provider: 'kallglot', baseUrl: `http://127.0.0.1:${port}`, apiKey: 'sk_test_x' },
      { retry: { maxAttempts: 1 } },
    );
    const error = (await rejectionOf(refused.test())) as ProviderError;
    expect(error).toMatchObject({ kind: 'transient' });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('an aborted open rejects with the abort reason, not a provider error', async () => {
    const controller = new AbortController();
    controller.abort(new Error('user cancelled'));
    const error = await rejectionOf(
      h.client.open(await mixedRecording(), { signal: controller.signal }),
    );
    expect(error).not.toBeInstanceOf(ProviderError);
    expect((error as Error).message).toBe('user cancelled');
  });
});

describe('hostile file names', () => {
  it.each(HOSTILE_FILE_NAMES.map((name) => [JSON.stringify(name).slice(0, 40), name]))(
    'Content-Disposition %s becomes a display-safe name',
    async (_label, name) => {
      h.fake.faults.inject({ type: 'hostile_filename', fileName: name as string });
      const stream = await h.client.open(await mixedRecording());
      expect(sha256(await readAll(stream.body))).toBe(mixed.sha256);
      const shown = stream.fileName ?? '';
      expect(shown).not.toMatch(/[\\/\u0000-\u001f]/);
      expect(shown).not.toMatch(/^\.\.?$/);
      expect(shown.length).toBeLessThanOrEqual(200);
      expect(shown).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i);
    },
  );
});
