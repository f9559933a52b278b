// The per-account limiter: a sliding one-minute window, and pauses the server asks for.
import { describe, expect, it } from 'vitest';
import { createRateLimiter, serverWaitMs } from '../../../main/core/providers/rate-limit.ts';

const T0 = 1_700_000_000_000;

function clocked(requestsPerMinute: number) {
  let now = T0;
  const waits: number[] = [];
  const limiter = createRateLimiter({
    requestsPerMinute,
    now: () => now,
    // Parallel sleepers wake at their own deadlines: the clock moves to the latest one.
    sleep: async (ms) => {
      waits.push(ms);
      const wake = now + ms;
      await Promise.resolve();
      now = Math.max(now, wake);
    },
  });
  return { limiter, waits, now: () => now, advance: (ms: number) => (now += ms) };
}

describe('rate limiter', () => {
  it('never lets more than N requests into any 60 s window', async () => {
    const c = clocked(5);
    const sent: number[] = [];
    for (let i = 0; i < 23; i++) {
      await c.limiter.acquire();
      sent.push(c.now());
      c.advance(700);
    }
    for (const t of sent)
      expect(sent.filter((u) => u > t - 60_000 && u <= t).length).toBeLessThanOrEqual(5);
    expect(c.waits.length).toBeGreaterThan(0);
  });

  it('concurrent acquirers share the budget', async () => {
    const c = clocked(3);
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, () => c.limiter.acquire().then(() => times.push(c.now()))),
    );
    expect(times.filter((t) => t < T0 + 60_000)).toHaveLength(3);
    expect(times.filter((t) => t < T0 + 120_000)).toHaveLength(6);
  });

  it('pauses every request on 429 with Retry-After', async () => {
    const c = clocked(100);
    c.limiter.observe(429, new Headers({ 'retry-after': '30' }));
    expect(c.limiter.pausedUntil).toBe(T0 + 30_000);
    await c.limiter.acquire();
    expect(c.now()).toBe(T0 + 30_000);
  });

  it('pauses on X-RateLimit-Remaining: 0 until X-RateLimit-Reset', async () => {
    const c = clocked(100);
    c.limiter.observe(
      200,
      new Headers({ 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': '1060' }),
    );
    expect(c.limiter.pausedUntil).toBe(0);
    c.limiter.observe(
      200,
      new Headers({
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(T0 / 1000 + 42),
      }),
    );
    await c.limiter.acquire();
    expect(c.now()).toBe(T0 + 42_000);
  });

  it('caps an absurd server pause, and an abort ends the wait', async () => {
    const limiter = createRateLimiter({ requestsPerMinute: 10, maxPauseMs: 5_000, now: () => 0 });
    limiter.pauseFor(10 * 3600_000);
    expect(limiter.pausedUntil).toBe(5_000);
    const controller = new AbortController();
    const pending = limiter.acquire(controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
  });
});

describe('serverWaitMs', () => {
  it('reads seconds, HTTP dates, unix resets and small reset deltas', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(serverWaitMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(
      serverWaitMs(new Headers({ 'retry-after': new Date(now + 8000).toUTCString() }), now),
    ).toBe(8000);
    expect(serverWaitMs(new Headers({ 'x-ratelimit-reset': String(now / 1000 + 4) }), now)).toBe(
      4000,
    );
    expect(serverWaitMs(new Headers({ 'x-ratelimit-reset': '15' }), now)).toBe(15_000);
    expect(
      serverWaitMs(new Headers({ 'retry-after': new Date(now - 8000).toUTCString() }), now),
    ).toBe(0);
    expect(serverWaitMs(new Headers(), now)).toBeNull();
  });
});
