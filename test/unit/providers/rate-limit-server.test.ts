// Issue 16: the limiter follows the server when the user set no limit — its advertised
// X-RateLimit-Limit, and what X-RateLimit-Remaining says is left until the reset, counting the
// requests still in flight as spent.
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../main/core/providers/rate-limit.ts';

const T0 = 1_700_000_000_000;

function clocked(requestsPerMinute: number, source: 'user' | 'provider') {
  let now = T0;
  const limiter = createRateLimiter({
    requestsPerMinute,
    source,
    now: () => now,
    sleep: async (ms) => {
      const wake = now + ms;
      await Promise.resolve();
      now = Math.max(now, wake);
    },
  });
  return { limiter, now: () => now };
}

const headers = (limit: number, remaining: number, resetInSec: number) =>
  new Headers({
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(Math.ceil(T0 / 1000) + resetInSec),
  });

describe('rate limiter following the server', () => {
  it("holds to the provider's lowest tier until a reply advertises more, then follows it", async () => {
    const c = clocked(60, 'provider');
    expect(c.limiter.inForce()).toEqual({ requestsPerMinute: 60, source: 'provider' });
    for (let i = 0; i < 60; i++) await c.limiter.acquire();
    c.limiter.observe(200, headers(300, 299, 60));
    for (let i = 0; i < 200; i++) await c.limiter.acquire();
    expect(c.now()).toBe(T0); // no wait: 260 of 300 this minute
    expect(c.limiter.inForce()).toEqual({ requestsPerMinute: 300, source: 'server' });
  });

  it('spends what Remaining says is left, counting requests in flight, then waits for Reset', async () => {
    const c = clocked(60, 'provider');
    for (let i = 0; i < 3; i++) await c.limiter.acquire(); // three in flight
    c.limiter.observe(200, headers(100, 4, 30)); // one answered: 4 left, 2 others in flight
    await c.limiter.acquire();
    await c.limiter.acquire();
    expect(c.now()).toBe(T0);
    await c.limiter.acquire();
    expect(c.now()).toBeGreaterThanOrEqual(T0 + 29_000);
  });

  it('a request that got no reply stops counting as in flight (settle)', async () => {
    const c = clocked(60, 'provider');
    await c.limiter.acquire();
    await c.limiter.acquire();
    c.limiter.settle(); // the first failed on the network
    c.limiter.observe(200, headers(100, 2, 30)); // the second answered: nothing else in flight
    await c.limiter.acquire();
    await c.limiter.acquire();
    expect(c.now()).toBe(T0);
  });

  it('a user limit below the advertised one stays the ceiling', async () => {
    const c = clocked(10, 'user');
    c.limiter.observe(200, headers(300, 299, 60));
    for (let i = 0; i < 11; i++) await c.limiter.acquire();
    expect(c.now()).toBeGreaterThanOrEqual(T0 + 60_000);
    expect(c.limiter.inForce()).toEqual({ requestsPerMinute: 10, source: 'user' });
  });
});
