// Issue 16: pace to the server, not to a guess. With no user limit the client follows the
// server's advertised X-RateLimit-Limit / -Remaining / -Reset (not the 60/min lowest tier), a
// user-set limit stays a hard ceiling, and a natural 429 with Retry-After is waited out.
// One virtual clock drives fake, limiter and retries, so minutes of pacing take a moment.
import { afterEach, describe, expect, it } from 'vitest';
import { createKallglotClient } from '../../../main/core/providers/kallglot.ts';
import { createRateLimiter } from '../../../main/core/providers/rate-limit.ts';
import type { RateLimiter } from '../../../main/core/providers/rate-limit.ts';
import type { ProviderClient } from '../../../main/core/providers/types.ts';
import { KALLGLOT_LOWEST_TIER_PER_MINUTE, startFakeKallglot } from '../../fakes/kallglot.ts';
import type { FakeKallglot } from '../../fakes/kallglot.ts';

let fake: FakeKallglot | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

interface Paced {
  client: ProviderClient;
  limiter: RateLimiter;
  now(): number;
  /** Virtual send time of every request the client made. */
  sent: number[];
}

async function paced(
  serverPerMinute: number | undefined,
  userPerMinute: number | null,
): Promise<Paced> {
  let clock = Date.now();
  const now = (): number => clock;
  // Parallel sleepers wake at their own deadlines: the clock moves to the latest one.
  const sleep = async (ms: number): Promise<void> => {
    const wake = clock + ms;
    await Promise.resolve();
    clock = Math.max(clock, wake);
  };
  fake = await startFakeKallglot({
    now,
    sessions: [],
    ...(serverPerMinute ? { rateLimitPerMinute: serverPerMinute } : {}),
  });
  const limiter = createRateLimiter({
    requestsPerMinute: userPerMinute ?? KALLGLOT_LOWEST_TIER_PER_MINUTE,
    source: userPerMinute === null ? 'provider' : 'user',
    now,
    sleep,
  });
  const sent: number[] = [];
  const client = createKallglotClient(
    { provider: 'kallglot', baseUrl: fake.baseUrl, apiKey: fake.apiKey },
    {
      limiter,
      now,
      fetch: (input, init) => {
        sent.push(clock);
        return fetch(input, init);
      },
      retry: { random: () => 0.5, sleep },
    },
  );
  return { client, limiter, now, sent };
}

/** Runs `count` calls, `concurrency` at a time, as a sync's workers do. */
async function run(count: number, concurrency: number, call: () => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        await call();
      }
    }),
  );
}

function busiestMinute(times: number[]): number {
  return Math.max(...times.map((t) => times.filter((u) => u > t - 60_000 && u <= t).length));
}

describe('pacing to the server', () => {
  it('with no user limit, 1,000 requests go at the advertised 300/min (not 60) with no 429', async () => {
    const p = await paced(300, null);
    const start = p.now();
    await run(1000, 8, () => p.client.test());
    const statuses = fake!.requests.map((r) => r.status);
    expect(statuses).toHaveLength(1000);
    expect(statuses.filter((s) => s === 429)).toHaveLength(0);
    // 300 a minute: at least three window changes, far under the 16+ minutes of 60/min.
    const elapsed = p.now() - start;
    expect(elapsed).toBeGreaterThan(120_000);
    expect(elapsed).toBeLessThan(4 * 60_000);
    expect(p.limiter.inForce()).toEqual({ requestsPerMinute: 300, source: 'server' });
  }, 120_000);

  it('a user-set limit is never exceeded, even when the server advertises more', async () => {
    const p = await paced(300, 100);
    await run(250, 8, () => p.client.test());
    expect(p.sent).toHaveLength(250);
    expect(busiestMinute(p.sent)).toBeLessThanOrEqual(100);
    expect(fake!.requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(p.limiter.inForce()).toEqual({ requestsPerMinute: 100, source: 'user' });
  }, 60_000);

  it('a server advertising less than the user set is followed: its limit is in force', async () => {
    const p = await paced(undefined, 300);
    await p.client.test();
    expect(p.limiter.inForce()).toEqual({
      requestsPerMinute: KALLGLOT_LOWEST_TIER_PER_MINUTE,
      source: 'server',
    });
  });

  it('a natural 429 (the lowest tier spent by another tool on the key) waits out Retry-After', async () => {
    const p = await paced(undefined, null);
    // Another program on the same key spends the whole minute of the lowest tier.
    for (let i = 0; i < KALLGLOT_LOWEST_TIER_PER_MINUTE; i++) {
      const reply = await fetch(`${fake!.baseUrl}/v1/recordings/rec_other_${i}`, {
        headers: { authorization: `Bearer ${fake!.apiKey}` },
      });
      await reply.arrayBuffer();
    }
    const theirs = fake!.requests.length;
    const start = p.now();
    const nextMinute = Math.floor(start / 60_000) * 60_000 + 60_000;
    await p.client.test();
    const ours = fake!.requests.slice(theirs);
    const refused = ours.find((r) => r.status === 429);
    expect(refused).toBeDefined();
    expect(ours.filter((r) => r.status === 429)).toHaveLength(1);
    expect(ours.at(-1)!.status).toBe(404); // the probe id: the key was accepted
    // The retry went only once the server's window had turned.
    expect(p.sent.at(-1)!).toBeGreaterThanOrEqual(nextMinute);
  });
});
