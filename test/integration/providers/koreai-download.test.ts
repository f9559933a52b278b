// Kore.ai downloads: a fresh fileUrl per open, bytes equal to the provider's file, no
// credential on the storage host, and every fault switch that applies.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderError } from '../../../main/core/providers/errors.ts';
import type { RemoteRecording } from '../../../main/core/providers/types.ts';
import { HOSTILE_FILE_NAMES } from '../../fakes/faults.ts';
import type { FakeKoreaiSession } from '../../fakes/koreai.ts';
import { caught, collect, readAll } from '../../support/async.ts';
import { sha256 } from '../../support/bytes.ts';
import { startKoreaiWorld } from '../../support/provider-clients.ts';
import type { KoreaiWorld } from '../../support/provider-clients.ts';

let world: KoreaiWorld;
let session: FakeKoreaiSession;
const USER = 'caller@example.com';

beforeAll(async () => {
  world = await startKoreaiWorld();
  session = await world.fake.addAudioSession({
    userId: USER,
    startTime: '2024-03-05T08:00:00.000Z',
    format: 'wav',
  });
});
afterAll(async () => {
  await world.close();
});
afterEach(() => {
  world.fake.faults.clear();
  world.storage.faults.clear();
  world.fake.setUrlTtl(300);
});

async function discoverOne(): Promise<RemoteRecording> {
  const [recording] = await collect(
    world.client().discover({ kind: 'koreai-session', sessionId: session.sessionId, userId: USER }),
  );
  return recording!;
}

const recordingsCalls = (): number =>
  world.fake.requests.filter((r) => r.path.endsWith('/v2/recordings')).length;

describe('Kore.ai download', () => {
  it('fetches a fresh fileUrl right before downloading and gets the exact bytes', async () => {
    // Discovery hands out links that are already expired: only a fresh one can work.
    world.fake.setUrlTtl(-60);
    const recording = await discoverOne();
    world.fake.setUrlTtl(300);
    const callsBefore = recordingsCalls();
    const storageBefore = world.storage.requests.length;

    const stream = await world.client().open(recording);
    const data = await readAll(stream.body);

    expect(recordingsCalls()).toBe(callsBefore + 1);
    expect(sha256(data)).toBe(session.files[0]!.stored.sha256);
    expect(stream.status).toBe(200);
    expect(stream.totalSize).toBe(session.files[0]!.stored.data.length);
    const fetched = world.storage.requests.slice(storageBefore);
    expect(fetched).toHaveLength(1);
    expect(Number(fetched[0]!.query.e)).toBeGreaterThan(Date.now() / 1000);
  });

  it('sends no auth header, JWT or client secret to the storage host', async () => {
    const recording = await discoverOne();
    await readAll((await world.client().open(recording)).body);
    const tokens = world.fake.requests.map((r) => r.headers.auth).filter(Boolean) as string[];
    expect(tokens.length).toBeGreaterThan(0);
    expect(world.storage.requests.length).toBeGreaterThan(0);
    for (const request of world.storage.requests) {
      expect(request.headers.auth).toBeUndefined();
      expect(request.headers.authorization).toBeUndefined();
      const all = JSON.stringify(request);
      expect(all).not.toContain(world.config.clientSecret);
      for (const token of tokens) expect(all).not.toContain(token);
    }
  });

  it('resumes with Range after a dropped connection and ends with the same bytes', async () => {
    const recording = await discoverOne();
    const client = world.client();
    world.storage.faults.inject({ type: 'drop_mid_body', afterBytes: 20_000 });
    const first = await client.open(recording);
    const chunks: Buffer[] = [];
    const error = await caught(async () => {
      for await (const chunk of first.body) chunks.push(chunk as Buffer);
    });
    expect((error as ProviderError).kind).toBe('transient');
    const got = Buffer.concat(chunks);
    expect(got.length).toBeLessThan(session.files[0]!.stored.data.length);

    const rest = await client.open(recording, { offset: got.length, etag: first.etag });
    expect(rest.status).toBe(206);
    expect(rest.startOffset).toBe(got.length);
    const whole = Buffer.concat([got, await readAll(rest.body)]);
    expect(sha256(whole)).toBe(session.files[0]!.stored.sha256);
    expect(world.storage.requests.at(-1)!.headers.range).toBe(`bytes=${got.length}-`);
  });

  it('reports a short body as transient instead of a complete file', async () => {
    const recording = await discoverOne();
    world.storage.faults.inject({ type: 'short_body', missingBytes: 500 });
    const stream = await world.client().open(recording);
    const error = await caught(() => readAll(stream.body));
    expect((error as ProviderError).kind).toBe('transient');
  });

  it('asks for a fresh link when storage refuses one as expired', async () => {
    const recording = await discoverOne();
    world.storage.faults.inject({ type: 'expired_url' });
    const callsBefore = recordingsCalls();
    const data = await readAll((await world.client().open(recording)).body);
    expect(sha256(data)).toBe(session.files[0]!.stored.sha256);
    expect(recordingsCalls()).toBe(callsBefore + 2);
    expect(world.storage.faults.fired.expired_url).toBe(1);
  });

  it('reports links that keep being refused as transient, naming only the host', async () => {
    const recording = await discoverOne();
    world.storage.faults.inject({ type: 'expired_url' }, { times: Infinity });
    const callsBefore = recordingsCalls();
    const error = await caught(() => world.client().open(recording));
    expect((error as ProviderError).kind).toBe('transient');
    expect((error as ProviderError).status).toBe(403);
    expect(recordingsCalls()).toBe(callsBefore + 3);
    expect((error as ProviderError).endpoint).toBe(new URL(world.storage.baseUrl).host);
    expect((error as Error).message).not.toMatch(/signature=|[?&]s=|objects/);
  });

  it('waits out a 429 with Retry-After and then succeeds', async () => {
    const recording = await discoverOne();
    world.fake.faults.inject({ type: 'rate_limit', retryAfterSec: 1 }, { match: '/v2/recordings' });
    const started = Date.now();
    const described = await world.client().describe(recording);
    expect(described.status).toBe('ready');
    expect(world.fake.faults.fired.rate_limit).toBeGreaterThanOrEqual(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('gives up on a long 429 wait with rate_limited and the server wait', async () => {
    const recording = await discoverOne();
    world.fake.faults.inject(
      { type: 'rate_limit', retryAfterSec: 600 },
      { match: '/v2/recordings' },
    );
    const error = await caught(() => world.client().describe(recording));
    expect((error as ProviderError).kind).toBe('rate_limited');
    expect((error as ProviderError).retryAfterMs).toBeGreaterThanOrEqual(590_000);
  });

  it('rides out a short burst of 5xx, and reports a long one as transient', async () => {
    const recording = await discoverOne();
    world.fake.faults.inject({ type: 'server_error', status: 503 }, { times: 2 });
    expect((await world.client().describe(recording)).status).toBe('ready');

    world.fake.faults.inject({ type: 'server_error', status: 502 }, { times: 50 });
    const error = await caught(() => world.client().describe(recording));
    expect((error as ProviderError).kind).toBe('transient');
    expect((error as ProviderError).status).toBe(502);
  });

  it('retries an API reply whose connection drops mid-body', async () => {
    const recording = await discoverOne();
    world.fake.faults.inject(
      { type: 'drop_mid_body', afterBytes: 10 },
      { match: '/v2/recordings' },
    );
    expect((await world.client().describe(recording)).status).toBe('ready');
    expect(world.fake.faults.fired.drop_mid_body).toBeGreaterThanOrEqual(1);
  });

  it('reports malformed JSON as invalid_response naming the endpoint', async () => {
    const recording = await discoverOne();
    world.fake.faults.inject({ type: 'malformed_json' }, { match: '/v2/recordings' });
    const error = await caught(() => world.client().describe(recording));
    expect(error).toMatchObject({
      kind: 'invalid_response',
      provider: 'koreai',
      endpoint: '/api/public/bot/{botId}/v2/recordings',
    });
  });

  it.each([
    [
      'a fileUrl that is not a string',
      { status: 'success', recording: [{ fileName: 'a.wav', fileUrl: 42 }] },
      'recording[0].fileUrl',
    ],
    ['a missing status', { recording: [] }, 'status'],
    [
      'a fileUrl that is not https',
      {
        status: 'success',
        recording: [{ fileName: 'a.wav', fileUrl: 'ftp://evil.example/a.wav' }],
      },
      'recording[].fileUrl',
    ],
  ])('reports %s as invalid_response naming the field', async (_, body, field) => {
    const odd = world.fake.addSession({ userId: USER, startTime: new Date().toISOString() });
    world.fake.setRawReply(odd.sessionId, body);
    const error = await caught(() =>
      collect(
        world.client().discover({ kind: 'koreai-session', sessionId: odd.sessionId, userId: USER }),
      ),
    );
    expect(error).toMatchObject({ kind: 'invalid_response', field });
  });

  it('keeps a session stuck in processing pending and refuses to open it', async () => {
    const recording = await discoverOne();
    world.fake.faults.inject({ type: 'stuck_processing' }, { times: Infinity });
    const client = world.client();
    for (let i = 0; i < 3; i++) {
      expect(await client.describe(recording)).toMatchObject({
        status: 'pending',
        providerStatus: 'media_in_progress',
      });
    }
    const error = await caught(() => client.open(recording));
    expect((error as ProviderError).kind).toBe('not_ready');
    expect((error as ProviderError).retryable).toBe(true);
  });

  it.each(HOSTILE_FILE_NAMES.map((name) => [JSON.stringify(name).slice(0, 40), name]))(
    'never uses hostile fileName %s as a path, and still downloads',
    async (_, hostile) => {
      world.fake.faults.inject(
        { type: 'hostile_filename', fileName: hostile },
        { times: Infinity },
      );
      const recording = await discoverOne();
      expect(recording.remoteId).toMatch(new RegExp(`^${session.sessionId}:[a-z]+-[0-9a-f]{16}$`));
      expect(recording.providerFileName ?? '').not.toMatch(/[\\/\u0000-\u001f]/);
      // The format comes from the validated URL, not from the hostile name.
      expect(recording.format).toBe('wav');
      const again = await discoverOne();
      expect(again.remoteId).toBe(recording.remoteId);
      const data = await readAll((await world.client().open(recording)).body);
      expect(sha256(data)).toBe(session.files[0]!.stored.sha256);
    },
  );
});
