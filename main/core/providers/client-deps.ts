import type { FetchLike } from './http/api-client.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { RetryOptions } from './retry.ts';

/** Hooks every provider client takes: the engine's limiter and clock, and test seams. */
export interface ClientDeps {
  fetch?: FetchLike;
  /** The account's shared limiter; one is made from `requestsPerMinute` when absent. */
  limiter?: RateLimiter;
  retry?: Omit<RetryOptions, 'signal'>;
  now?: () => number;
  timeoutMs?: number;
  idleTimeoutMs?: number;
  /** Fresh links asked for within one open() when storage refuses one as expired. */
  maxUrlRenewals?: number;
  /** The plan's API limit; the provider's lowest published tier when absent. */
  requestsPerMinute?: number;
}
