// Contract of the Kore.ai client against the fake: JWT auth, the v2 recordings endpoint and
// every documented status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../main/core/providers/errors.ts';
import type { RemoteRecording } from '../../../main/core/providers/types.ts';
import { caught, collect } from '../../support/async.ts';
import { startKoreaiWorld } from '../../support/provider-clients.ts';
import type { KoreaiWorld } from '../../support/provider-clients.ts';

let world: KoreaiWorld;
beforeAll(async () => {
  world = await startKoreaiWorld();
});
afterAll(async () => {
  await world.close();
});

function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

function expectNoCredentials(error: unknown, world: KoreaiWorld): void {
  const text = `${(error as Error).message} ${JSON.stringify(error)}`;
  expect(text).not.toContain(world.config.clientSecret);
  for (const r of world.fake.requests) {
    if (typeof r.headers.auth === 'string') expect(text).not.toContain(r.headers.auth);
  }
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
}

describe('Kore.ai authentication', () => {
  it('sends a valid HS256 JWT in the `auth` header, not Authorization', async () => {
    const before = world.fake.requests.length;
    await world.client().test();
    const sent = world.fake.requests.slice(before);
    expect(sent.length).toBe(1);
    const request = sent[0]!;
    expect(request.rejection).toBeNull();
    expect(request.headers.authorization).toBeUndefined();
    const payload = decodeJwt(request.headers.auth as string);
    expect(payload.appId).toBe(world.config.clientId);
    expect(typeof payload.sub).toBe('string');
    expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(3600);
    expect(typeof payload.jti).toBe('string');
  });

  it('mints a fresh jti per request (the fake refuses a replayed one)', async () => {
    const session = world.fake.addSession({ userId: 'u-jti', startTime: new Date().toISOString() });
    const client = world.client();
    const before = world.fake.requests.length;
    for (let i = 0; i < 3; i++) {
      await collect(
        client.discover({ kind: 'koreai-session', sessionId: session.sessionId, userId: 'u-jti' }),
      );
    }
    const sent = world.fake.requests.slice(before);
    const jtis = new Set(sent.map((r) => decodeJwt(r.headers.auth as string).jti));
    expect(jtis.size).toBe(3);
    expect(sent.every((r) => r.rejection === null)).toBe(true);
  });

  it.each([
    ['a wrong client secret', { clientSecret: 'not-the-secret-at-all' }, 'bad_signature'],
    ['a wrong client id', { clientId: 'cs-someone-else' }, 'wrong_app'],
  ])('maps %s to an auth error that names no credential', async (_, overrides, reason) => {
    const error = await caught(() => world.client(overrides).test());
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('auth');
    expect((error as ProviderError).status).toBe(401);
    expect(world.fake.requests.at(-1)?.rejection).toBe(reason);
    expect((error as Error).message).not.toContain('not-the-secret-at-all');
    expectNoCredentials(error, world);
  });

  it('refuses an expired token (clock two hours behind) as auth', async () => {
    const client = world.client({}, { now: () => Date.now() - 2 * 3_600_000 });
    const error = await caught(() => client.test());
    expect((error as ProviderError).kind).toBe('auth');
    expect(world.fake.requests.at(-1)?.rejection).toBe('expired');
  });

  it('maps a bot the app may not use (403) to auth', async () => {
    const error = await caught(() => world.client({ botId: 'st-other-bot' }).test());
    expect((error as ProviderError).kind).toBe('auth');
    expect((error as ProviderError).status).toBe(403);
  });

  it('keeps an echoed token out of error messages', async () => {
    const echo = await startKoreaiWorld({ echoTokenInErrors: true });
    try {
      const client = echo.client();
      const error = await caught(() =>
        collect(client.discover({ kind: 'koreai-session', sessionId: 'nope', userId: 'u-1' })),
      );
      expect((error as ProviderError).kind).toBe('not_found');
      expect(echo.fake.requests.at(-1)?.status).toBe(404);
      expectNoCredentials(error, echo);
    } finally {
      await echo.close();
    }
  });
});

describe('Kore.ai v2 recordings', () => {
  it('lists a successful session as one mixed file with a stable, path-free id', async () => {
    const session = await world.fake.addAudioSession({
      userId: 'agent@example.com',
      startTime: '2024-05-03T10:00:00.000Z',
    });
    const client = world.client();
    const selection = {
      kind: 'koreai-session' as const,
      sessionId: session.sessionId,
      userId: 'agent@example.com',
    };
    const [first] = await collect(client.discover(selection));
    const [again] = await collect(client.discover(selection));
    const request = world.fake.requests.at(-1)!;
    expect(request.path).toBe(`/api/public/bot/${world.fake.botId}/v2/recordings`);
    expect(request.query).toEqual({ sessionId: session.sessionId, userId: 'agent@example.com' });

    expect(first).toMatchObject({
      provider: 'koreai',
      sessionId: session.sessionId,
      userId: 'agent@example.com',
      callId: null,
      channel: 'mixed',
      status: 'ready',
      providerStatus: 'success',
      format: 'wav',
      contentType: 'audio/wav',
      providerFileName: session.files[0]!.fileName,
      expiresAt: null,
    });
    expect(first!.remoteId).toBe(again!.remoteId);
    expect(first!.remoteId).toMatch(new RegExp(`^${session.sessionId}:merged-[0-9a-f]{16}$`));
    expect(first!.remoteId).not.toContain(session.files[0]!.fileName);
    // The signed query is a credential: it is not kept in the sidecar JSON.
    expect(JSON.stringify(first!.raw)).not.toMatch(/[?&](e|s|signature)=/);
  });

  it('lists every file of a session and filters by channel', async () => {
    const session = world.fake.addSession({
      userId: 'u-multi',
      startTime: new Date().toISOString(),
      files: [
        {
          fileName: 'abc-merged.wav',
          data: Buffer.from('mix'),
          contentType: 'audio/wav',
          ext: 'wav',
        },
        {
          fileName: 'abc-agent.wav',
          data: Buffer.from('agt'),
          contentType: 'audio/wav',
          ext: 'wav',
        },
        {
          fileName: 'abc-customer.wav',
          data: Buffer.from('cus'),
          contentType: 'audio/wav',
          ext: 'wav',
        },
      ],
    });
    const selection = {
      kind: 'koreai-session' as const,
      sessionId: session.sessionId,
      userId: 'u-multi',
    };
    const all = await collect(world.client().discover(selection));
    expect(all.map((r) => r.channel)).toEqual(['mixed', 'agent', 'customer']);
    expect(new Set(all.map((r) => r.remoteId)).size).toBe(3);
    const agent = await collect(world.client().discover(selection, { channel: 'agent' }));
    expect(agent.map((r) => r.providerFileName)).toEqual(['abc-agent.wav']);
  });

  const statuses: Array<[string, RemoteRecording['status']]> = [
    ['media_unavailable', 'pending'],
    ['call_in_progress', 'pending'],
    ['media_in_progress', 'pending'],
    ['failed', 'failed'],
    ['brand_new_status', 'pending'],
  ];
  it.each(statuses)('maps status %s to %s and keeps the word', async (word, status) => {
    const session = world.fake.addSession({
      userId: 'u-status',
      startTime: new Date().toISOString(),
      status: word,
    });
    const found = await collect(
      world
        .client()
        .discover({ kind: 'koreai-session', sessionId: session.sessionId, userId: 'u-status' }),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      remoteId: `${session.sessionId}:session`,
      status,
      providerStatus: word,
      format: null,
      providerFileName: null,
    });
  });

  it('describe() follows a session from call_in_progress to success', async () => {
    const session = await world.fake.addAudioSession({
      userId: 'u-later',
      startTime: new Date().toISOString(),
      status: 'call_in_progress',
    });
    const client = world.client();
    const [placeholder] = await collect(
      client.discover({ kind: 'koreai-session', sessionId: session.sessionId, userId: 'u-later' }),
    );
    expect(placeholder!.status).toBe('pending');
    const openError = await caught(() => client.open(placeholder!));
    expect((openError as ProviderError).kind).toBe('not_ready');

    world.fake.setStatus(session.sessionId, 'media_in_progress');
    const still = await client.describe(placeholder!);
    expect(still).toMatchObject({ status: 'pending', providerStatus: 'media_in_progress' });

    world.fake.setStatus(session.sessionId, 'success');
    const ready = await client.describe(placeholder!);
    expect(ready).toMatchObject({ status: 'ready', providerStatus: 'success', channel: 'mixed' });
    expect(ready.remoteId).toMatch(/:merged-[0-9a-f]{16}$/);
  });

  it('open() of a failed session is a permanent failure', async () => {
    const session = await world.fake.addAudioSession({
      userId: 'u-f',
      startTime: new Date().toISOString(),
    });
    const client = world.client();
    const [ready] = await collect(
      client.discover({ kind: 'koreai-session', sessionId: session.sessionId, userId: 'u-f' }),
    );
    world.fake.setStatus(session.sessionId, 'failed');
    expect(await client.describe(ready!)).toMatchObject({
      status: 'failed',
      providerStatus: 'failed',
    });
    const error = await caught(() => client.open(ready!));
    expect((error as ProviderError).kind).toBe('failed');
    expect((error as ProviderError).retryable).toBe(false);
  });

  it('describe() of a file the session no longer lists is not_found', async () => {
    const session = await world.fake.addAudioSession({
      userId: 'u-nf',
      startTime: new Date().toISOString(),
    });
    const client = world.client();
    const [ready] = await collect(
      client.discover({ kind: 'koreai-session', sessionId: session.sessionId, userId: 'u-nf' }),
    );
    const error = await caught(() =>
      client.describe({ ...ready!, remoteId: `${session.sessionId}:merged-0000000000000000` }),
    );
    expect((error as ProviderError).kind).toBe('not_found');
  });

  it('an unknown session is not_found and test() still passes on it', async () => {
    const error = await caught(() =>
      collect(
        world.client().discover({ kind: 'koreai-session', sessionId: 'missing', userId: 'u' }),
      ),
    );
    expect((error as ProviderError).kind).toBe('not_found');
    expect((error as ProviderError).endpoint).toBe('/api/public/bot/{botId}/v2/recordings');
  });

  it('refuses selections of other providers', async () => {
    const error = await caught(() =>
      collect(world.client().discover({ kind: 'envoy-call', callId: 'call_x' })),
    );
    expect((error as ProviderError).kind).toBe('bad_request');
  });
});
