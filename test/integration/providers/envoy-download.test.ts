// Envoy downloads: a fresh playback URL per open, exact bytes for audio/mp4 and video/mp4, no
// API key on the storage host, and the fault switches that apply.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderError } from '../../../main/core/providers/errors.ts';
import type { RemoteRecording } from '../../../main/core/providers/types.ts';
import type { FakeEnvoyCall } from '../../fakes/envoy.ts';
import { caught, collect, readAll } from '../../support/async.ts';
import { sha256 } from '../../support/bytes.ts';
import { startEnvoyWorld } from '../../support/provider-clients.ts';
import type { EnvoyWorld } from '../../support/provider-clients.ts';

let world: EnvoyWorld;
let audioCall: FakeEnvoyCall;
let videoCall: FakeEnvoyCall;

beforeAll(async () => {
  world = await startEnvoyWorld({ organizationId: 'org_test' });
  audioCall = await world.fake.addAudioCall({ callTime: '2024-03-01T10:00:00Z', format: 'm4a' });
  videoCall = await world.fake.addAudioCall({ callTime: '2024-03-01T11:00:00Z', format: 'mp4' });
});
afterAll(async () => {
  await world.close();
});
afterEach(() => {
  world.fake.faults.clear();
  world.storage.faults.clear();
  world.fake.setUrlTtl(300);
});

async function discover(call: FakeEnvoyCall): Promise<RemoteRecording> {
  const [found] = await collect(world.client().discover({ kind: 'envoy-call', callId: call.id }));
  return found!;
}

const recordingCalls = (call: FakeEnvoyCall): number =>
  world.fake.requests.filter((r) => r.path === `/api/v1/calls/${call.id}/recording`).length;

describe('Envoy download', () => {
  it.each([
    ['audio/mp4', () => audioCall, 'm4a'],
    ['video/mp4', () => videoCall, 'mp4'],
  ])('downloads %s recordings byte for byte', async (contentType, call, format) => {
    const recording = await discover(call());
    expect(recording).toMatchObject({ contentType, format });
    const stream = await world.client().open(recording);
    const data = await readAll(stream.body);
    expect(sha256(data)).toBe(call().stored!.sha256);
    expect(stream.contentType).toBe(contentType);
    expect(stream.totalSize).toBe(call().stored!.data.length);
  });

  it('asks for a fresh playback URL right before downloading', async () => {
    world.fake.setUrlTtl(-60);
    const recording = await discover(audioCall);
    world.fake.setUrlTtl(300);
    const before = recordingCalls(audioCall);
    const data = await readAll((await world.client().open(recording)).body);
    expect(recordingCalls(audioCall)).toBe(before + 1);
    expect(sha256(data)).toBe(audioCall.stored!.sha256);
    expect(Number(world.storage.requests.at(-1)!.query.expires)).toBeGreaterThan(Date.now() / 1000);
  });

  it('sends no Authorization, API key or organization header to the storage host', async () => {
    const client = world.client({ organizationId: 'org_test' });
    const recording = await discover(audioCall);
    await readAll((await client.open(recording)).body);
    expect(world.fake.requests.at(-1)!.headers['x-organization-id']).toBe('org_test');
    expect(world.storage.requests.length).toBeGreaterThan(0);
    for (const request of world.storage.requests) {
      expect(request.headers.authorization).toBeUndefined();
      expect(request.headers['x-organization-id']).toBeUndefined();
      expect(JSON.stringify(request)).not.toContain(world.fake.apiKey);
    }
  });

  it('resumes with Range after a dropped connection and ends with the same bytes', async () => {
    const recording = await discover(videoCall);
    const client = world.client();
    world.storage.faults.inject({ type: 'drop_mid_body', afterBytes: 5_000 });
    const first = await client.open(recording);
    const chunks: Buffer[] = [];
    const error = await caught(async () => {
      for await (const chunk of first.body) chunks.push(chunk as Buffer);
    });
    expect((error as ProviderError).kind).toBe('transient');
    const got = Buffer.concat(chunks);
    const rest = await client.open(recording, { offset: got.length, etag: first.etag });
    expect(rest.status).toBe(206);
    const whole = Buffer.concat([got, await readAll(rest.body)]);
    expect(sha256(whole)).toBe(videoCall.stored!.sha256);
    expect(world.storage.requests.at(-1)!.headers['if-range']).toBe(first.etag);
  });

  it('reports a short body as transient', async () => {
    const recording = await discover(audioCall);
    world.storage.faults.inject({ type: 'short_body', missingBytes: 100 });
    const stream = await world.client().open(recording);
    const error = await caught(() => readAll(stream.body));
    expect((error as ProviderError).kind).toBe('transient');
  });

  it('renews a playback URL that storage refuses as expired', async () => {
    const recording = await discover(audioCall);
    world.storage.faults.inject({ type: 'expired_url' });
    const before = recordingCalls(audioCall);
    const data = await readAll((await world.client().open(recording)).body);
    expect(sha256(data)).toBe(audioCall.stored!.sha256);
    expect(recordingCalls(audioCall)).toBe(before + 2);
  });

  it('reports URLs that keep being refused as transient, not as an auth failure', async () => {
    const recording = await discover(audioCall);
    world.storage.faults.inject({ type: 'expired_url' }, { times: Infinity });
    const error = await caught(() => world.client().open(recording));
    expect(error).toMatchObject({ kind: 'transient', status: 403 });
    expect((error as Error).message).not.toMatch(/signature=|objects\//);
  });

  it('waits out a 429 with Retry-After as an HTTP date and then succeeds', async () => {
    // An HTTP date has whole seconds, so 2 s ahead means a wait of at least 1 s.
    world.fake.faults.inject(
      { type: 'rate_limit', retryAfterSec: 2, form: 'date' },
      { match: '/recording' },
    );
    const started = Date.now();
    const recording = await discover(audioCall);
    expect(recording.status).toBe('ready');
    expect(world.fake.faults.fired.rate_limit).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('hands a long 429 back as rate_limited with the server wait', async () => {
    world.fake.faults.inject({ type: 'rate_limit', retryAfterSec: 900 }, { match: '/calls' });
    const error = await caught(() =>
      collect(
        world.client().discover({ kind: 'envoy-range', from: '2024-03-01', to: '2024-03-01' }),
      ),
    );
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect((error as ProviderError).retryAfterMs).toBeGreaterThanOrEqual(890_000);
  });

  it('rides out a short 5xx burst and reports a long one as transient', async () => {
    world.fake.faults.inject({ type: 'server_error', status: 503 }, { times: 2 });
    const found = await collect(
      world.client().discover({ kind: 'envoy-range', from: '2024-03-01', to: '2024-03-01' }),
    );
    expect(found).toHaveLength(2);
    world.fake.faults.inject({ type: 'server_error', status: 500 }, { times: 50 });
    const error = await caught(() => world.client().describe(found[0]!));
    expect(error).toMatchObject({ kind: 'transient', status: 500 });
  });

  it('retries an API reply whose connection drops, and reports malformed JSON', async () => {
    world.fake.faults.inject({ type: 'drop_mid_body', afterBytes: 8 }, { match: '/recording' });
    expect((await discover(audioCall)).status).toBe('ready');
    expect(world.fake.faults.fired.drop_mid_body).toBe(1);
    world.fake.faults.inject({ type: 'malformed_json' }, { match: '/calls' });
    const error = await caught(() =>
      collect(
        world.client().discover({ kind: 'envoy-range', from: '2024-03-01', to: '2024-03-01' }),
      ),
    );
    expect(error).toMatchObject({ kind: 'invalid_response', endpoint: '/calls' });
  });

  it('keeps a recording stuck in processing pending and refuses to open it', async () => {
    const recording = await discover(audioCall);
    world.fake.faults.inject({ type: 'stuck_processing' }, { times: Infinity });
    for (let i = 0; i < 3; i++) {
      expect(await world.client().describe(recording)).toMatchObject({
        status: 'pending',
        providerStatus: 'PROCESSING',
      });
    }
    const error = await caught(() => world.client().open(recording));
    expect(error).toMatchObject({ kind: 'not_ready' });
    expect((error as ProviderError).retryable).toBe(true);
  });
});
