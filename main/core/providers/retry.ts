// Retries a provider call that failed for a reason that may pass (network, 5xx, 429), with
// exponential backoff and full jitter so many downloads do not retry in lockstep.
import { isProviderError } from './errors.ts';
import type { ProviderError } from './errors.ts';
import { sleep as defaultSleep } from './rate-limit.ts';
import type { SleepFn } from './rate-limit.ts';

export interface RetryOptions {
  /** Attempts in total, the first included (default 4). */
  maxAttempts?: number;
  /** Backoff ceiling of the first retry (default 500 ms); doubles per attempt. */
  baseDelayMs?: number;
  /** Cap of any one backoff (default 20 s). */
  maxDelayMs?: number;
  /**
   * A server-requested wait (Retry-After) longer than this is not waited out here: the error
   * goes to the caller, whose scheduler can park the job instead of holding a slot (default 60 s).
   */
  maxRetryAfterMs?: number;
  /** Which errors to retry. Default: `transient` and `rate_limited` (never payment_required). */
  shouldRetry?: (error: ProviderError) => boolean;
  sleep?: SleepFn;
  random?: () => number;
  signal?: AbortSignal;
  onRetry?: (info: { error: ProviderError; attempt: number; delayMs: number }) => void;
}

export const DEFAULT_RETRY = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
} as const;

export function isRetryableNow(error: ProviderError): boolean {
  return error.kind === 'transient' || error.kind === 'rate_limited';
}

/** Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))]; attempt counts from 1. */
export function backoffDelayMs(
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'> = {},
): number {
  const base = options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const cap = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.floor((options.random ?? Math.random)() * ceiling);
}

/** Runs `operation` until it succeeds, fails for good, or runs out of attempts. */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_RETRY.maxAttempts);
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs;
  const shouldRetry = options.shouldRetry ?? isRetryableNow;
  const wait = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await operation(attempt);
    } catch (error) {
      // Aborts and programming errors are never retried.
      if (!isProviderError(error) || error.kind === 'payment_required') throw error;
      if (!shouldRetry(error) || attempt >= maxAttempts) throw error;
      let delayMs = backoffDelayMs(attempt, options);
      if (error.retryAfterMs !== null) {
        if (error.retryAfterMs > maxRetryAfterMs) throw error;
        delayMs = Math.max(delayMs, error.retryAfterMs);
      }
      options.onRetry?.({ error, attempt, delayMs });
      await wait(delayMs, options.signal);
    }
  }
}
