// A hostile or broken provider cannot exhaust memory, hang a sync, loop a listing forever or
// draw an account's key to another host: each fault is armed on the fakes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../main/core/providers/errors.ts';
import { caught, collect } from '../../support/async.ts';
import {
  headerDump,
  startEnvoyWorld,
  startKoreaiWorld,
  type EnvoyWorld,
  type KoreaiWorld,
} from '../../support/provider-clients.ts';

let koreai: KoreaiWorld;
let envoy: EnvoyWorld;
/** Another host on this machine that records what reaches it (where a redirect points). */
let collector: http.Server;
const collected: { headers: http.IncomingHttpHeaders }[] = [];
let collectorUrl: string;

beforeAll(async () => {
  koreai = await startKoreaiWorld();
  for (let i = 1; i <= 6; i++) {
    koreai.fake.addSession({
      sessionId: `sess-${i}`,
      userId: 'user@example.com',
      startTime: `2024-02-10T0${i}:00:00.000Z`,
    });
  }
  envoy = await startEnvoyWorld();
  for (let i = 1; i <= 6; i++) {
    envoy.fake.addCall({ callTime: `2024-01-03T0${i}:00:00Z` });
  }
  collector = http.createServer((req, res) => {
    collected.push({ headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"sessions":[],"moreAvailable":false,"data":[],"pagination":{"has_next":false}}');
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/elsewhere`;
});
afterAll(async () => {
  await koreai.close();
  await envoy.close();
  await new Promise((resolve) => collector.close(resolve));
});

const koreaiRange = { kind: 'koreai-range', from: '2024-02-10', to: '2024-02-10' } as const;
const envoyRange = { kind: 'envoy-range', from: '2024-01-03', to: '2024-01-03' } as const;

/** Settles within `ms` or fails the test (the unfixed code hangs or loops). */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('a listing that repeats its page', () => {
  it('Kore.ai getSessions: stopped with an error on the first page that brings nothing new', async () => {
    koreai.fake.faults.inject({ type: 'repeat_page' }, { times: Infinity, match: 'getSessions' });
    const before = koreai.fake.requests.length;
    const client = koreai.client({}, { sessionsPageSize: 2 });
    const error = await within(
      5_000,
      caught(() => collect(client.discover(koreaiRange))),
    );
    koreai.fake.faults.clear();
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      kind: 'invalid_response',
      message: expect.stringMatching(/nothing new/),
    });
    const pages = koreai.fake.requests.slice(before).filter((r) => r.path.endsWith('getSessions'));
    expect(pages).toHaveLength(2);
    // Unfaulted, the same listing pages through all six.
    expect(await collect(client.discover(koreaiRange))).toHaveLength(6);
  });

  it('Envoy calls: stopped the same way, not after ten thousand pages', async () => {
    envoy.fake.faults.inject({ type: 'repeat_page' }, { times: Infinity, match: '/calls' });
    const before = envoy.fake.requests.length;
    const client = envoy.client({}, { pageSize: 2 });
    const error = await within(
      5_000,
      caught(() => collect(client.discover(envoyRange))),
    );
    envoy.fake.faults.clear();
    expect(error).toMatchObject({
      kind: 'invalid_response',
      message: expect.stringMatching(/nothing new/),
    });
    expect(envoy.fake.requests.length - before).toBe(2);
    expect(await collect(client.discover(envoyRange))).toHaveLength(6);
  });
});

describe('a JSON reply that is huge or trickles', () => {
  it('a reply past 16 MiB is refused as it streams in (no Content-Length to go by)', async () => {
    koreai.fake.faults.inject(
      { type: 'huge_json', bytes: 64 * 1024 * 1024 },
      { match: 'getSessions' },
    );
    const error = await within(
      10_000,
      caught(() => collect(koreai.client().discover(koreaiRange))),
    );
    // toMatchObject never fails on a RegExp against a string: the message is matched on its own.
    expect(error).toMatchObject({ kind: 'invalid_response' });
    expect((error as Error).message).toMatch(/too large to be trusted \(over 16 MiB\)/);
  });

  it('a body trickled byte by byte ends at the request deadline, not when the server stops', async () => {
    // The headers come at once; the body at 8 bytes every 200 ms would take minutes.
    envoy.fake.faults.inject(
      { type: 'slow_body', chunkBytes: 8, delayMs: 200 },
      { times: Infinity, match: '/calls' },
    );
    const started = Date.now();
    const error = await within(
      8_000,
      caught(() =>
        collect(
          envoy
            .client(
              {},
              { timeoutMs: 400, retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 2 } },
            )
            .discover(envoyRange),
        ),
      ),
    );
    envoy.fake.faults.clear();
    expect(error).toMatchObject({ kind: 'transient' });
    expect((error as Error).message).toMatch(/did not finish answering within 1 s\. .* 400 ms/);
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});

describe('a redirect of an authenticated call', () => {
  it('Kore.ai: not followed, so the JWT in the custom auth header never reaches the other host', async () => {
    koreai.fake.faults.inject(
      { type: 'redirect', location: collectorUrl, status: 307 },
      { times: Infinity, match: 'getSessions' },
    );
    const error = await caught(() => collect(koreai.client().discover(koreaiRange)));
    koreai.fake.faults.clear();
    expect(error).toMatchObject({ kind: 'invalid_response' });
    expect((error as Error).message).toMatch(/sent Recvault to another address/);
    expect(collected).toHaveLength(0);
    expect(headerDump(collected)).not.toContain('eyJ');
  });

  it('Envoy: not followed either (the key and organization stay with the API)', async () => {
    envoy.fake.faults.inject(
      { type: 'redirect', location: collectorUrl.replace('127.0.0.1', 'localhost') },
      { times: Infinity, match: '/calls' },
    );
    const error = await caught(() => collect(envoy.client().discover(envoyRange)));
    envoy.fake.faults.clear();
    expect(error).toMatchObject({ kind: 'invalid_response' });
    expect((error as Error).message).toMatch(/sent Recvault to another address/);
    expect(collected).toHaveLength(0);
  });
});
