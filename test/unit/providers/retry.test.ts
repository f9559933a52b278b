// Retry with exponential backoff, full jitter, a cap, and server-requested waits.
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../main/core/providers/errors.ts';
import type { ProviderErrorKind } from '../../../main/core/providers/errors.ts';
import { backoffDelayMs, withRetry } from '../../../main/core/providers/retry.ts';

const err = (kind: ProviderErrorKind, retryAfterMs: number | null = null) =>
  new ProviderError({ provider: 'envoy', kind, endpoint: '/calls', message: kind, retryAfterMs });

function failing(errors: unknown[], value = 'ok') {
  let calls = 0;
  const op = async () => {
    const e = errors[calls++];
    if (e) throw e;
    return value;
  };
  return { op, calls: () => calls };
}

describe('backoffDelayMs', () => {
  it('is uniform in [0, min(cap, base·2^(n-1))]', () => {
    expect(backoffDelayMs(1, { baseDelayMs: 100, random: () => 0.999 })).toBe(99);
    expect(backoffDelayMs(4, { baseDelayMs: 100, random: () => 0.5 })).toBe(400);
    expect(backoffDelayMs(30, { baseDelayMs: 100, maxDelayMs: 5000, random: () => 0.999 })).toBe(
      4995,
    );
    expect(backoffDelayMs(3, { random: () => 0 })).toBe(0);
  });
});

describe('withRetry', () => {
  it('retries transient and rate_limited until success', async () => {
    const waits: number[] = [];
    const f = failing([err('transient'), err('rate_limited'), err('transient')]);
    const result = await withRetry(f.op, {
      sleep: async (ms) => void waits.push(ms),
      random: () => 1,
      baseDelayMs: 10,
    });
    expect(result).toBe('ok');
    expect(f.calls()).toBe(4);
    expect(waits).toEqual([10, 20, 40]);
  });

  it('stops after maxAttempts with the last error', async () => {
    const f = failing(Array.from({ length: 10 }, () => err('transient')));
    await expect(
      withRetry(f.op, { maxAttempts: 3, sleep: async () => undefined }),
    ).rejects.toMatchObject({ kind: 'transient' });
    expect(f.calls()).toBe(3);
  });

  it.each([
    'auth',
    'not_found',
    'gone',
    'failed',
    'bad_request',
    'invalid_response',
    'payment_required',
    'not_ready',
  ] as const)('never retries %s', async (kind) => {
    const f = failing([err(kind)]);
    await expect(withRetry(f.op, { sleep: async () => undefined })).rejects.toMatchObject({ kind });
    expect(f.calls()).toBe(1);
  });

  it('payment_required is not retried even if shouldRetry says so', async () => {
    const f = failing([err('payment_required')]);
    await expect(
      withRetry(f.op, { shouldRetry: () => true, sleep: async () => undefined }),
    ).rejects.toMatchObject({
      kind: 'payment_required',
    });
    expect(f.calls()).toBe(1);
  });

  it('waits at least retryAfterMs, and hands back waits longer than maxRetryAfterMs', async () => {
    const waits: number[] = [];
    const f = failing([err('rate_limited', 7000)]);
    await withRetry(f.op, { sleep: async (ms) => void waits.push(ms), random: () => 0 });
    expect(waits).toEqual([7000]);
    const g = failing([err('rate_limited', 120_000)]);
    await expect(
      withRetry(g.op, { maxRetryAfterMs: 60_000, sleep: async () => undefined }),
    ).rejects.toMatchObject({
      retryAfterMs: 120_000,
    });
    expect(g.calls()).toBe(1);
  });

  it('rethrows non-provider errors (aborts, bugs) at once', async () => {
    const f = failing([new TypeError('bug')]);
    await expect(withRetry(f.op, { sleep: async () => undefined })).rejects.toThrow('bug');
    expect(f.calls()).toBe(1);
  });
});
