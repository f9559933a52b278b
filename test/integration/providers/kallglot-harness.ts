// Shared set-up for the Kallglot contract tests: the fake API and storage, and a client whose
// waits (retry backoff, rate-limit pauses) are recorded instead of slept.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { createKallglotClient } from '../../../main/core/providers/kallglot.ts';
import type { KallglotClientDeps } from '../../../main/core/providers/kallglot.ts';
import { createRateLimiter } from '../../../main/core/providers/rate-limit.ts';
import type { RateLimiter } from '../../../main/core/providers/rate-limit.ts';
import type { ProviderClient, RemoteRecording } from '../../../main/core/providers/types.ts';
import { startFakeKallglot } from '../../fakes/kallglot.ts';
import type { FakeKallglot, StartFakeKallglotOptions } from '../../fakes/kallglot.ts';

export interface Harness {
  fake: FakeKallglot;
  client: ProviderClient;
  /** A client with other deps or key, sharing the fake, clock and limiter. */
  makeClient(deps?: KallglotClientDeps, apiKey?: string): ProviderClient;
  limiter: RateLimiter;
  /** The one clock of fake, storage, limiter and client (epoch ms); moves only when waited. */
  now(): number;
  /** Waits the limiter asked for (ms). */
  limiterWaits: number[];
  /** Backoff waits the retry loop asked for (ms). */
  retryWaits: number[];
  close(): Promise<void>;
}

export async function startHarness(options: StartFakeKallglotOptions = {}): Promise<Harness> {
  // Fake, storage, limiter and client share a clock that starts at real time and advances
  // only when something waits, so rate-limit windows, Reset headers and URL expiry agree
  // and the tests never really sleep.
  let clock = Date.now();
  const now = (): number => clock;
  const fake = await startFakeKallglot({ now, ...options });
  const limiterWaits: number[] = [];
  const retryWaits: number[] = [];
  const limiter = createRateLimiter({
    requestsPerMinute: 1000,
    now,
    sleep: async (ms) => {
      limiterWaits.push(ms);
      clock += ms;
    },
  });
  const makeClient = (deps: KallglotClientDeps = {}, apiKey = fake.apiKey): ProviderClient =>
    createKallglotClient(
      { provider: 'kallglot', baseUrl: fake.baseUrl, apiKey },
      {
        limiter,
        now,
        ...deps,
        retry: {
          random: () => 0.5,
          sleep: async (ms) => {
            retryWaits.push(ms);
            clock += ms;
          },
          ...deps.retry,
        },
      },
    );
  return {
    fake,
    client: makeClient(),
    makeClient,
    limiter,
    now,
    limiterWaits,
    retryWaits,
    close: () => fake.close(),
  };
}

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export async function collect(
  iterable: AsyncIterable<RemoteRecording>,
): Promise<RemoteRecording[]> {
  const out: RemoteRecording[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Resolves with the rejection of a promise (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** Every header value a host received, lower-cased names, for secret scans. */
export function headerDump(requests: { headers: Record<string, unknown> }[]): string {
  return requests.map((r) => JSON.stringify(r.headers)).join('\n');
}
