// What every provider client is built from: the engine's hooks (limiter, clock, retry, test
// seams) and, made from them, the account's HTTP client.
import { capabilitiesOf } from '../contract/providers.ts';
import { createHttpClient } from './http/api-client.ts';
import type { FetchLike, HttpClient, HttpClientOptions } from './http/api-client.ts';
import { createRateLimiter } from './rate-limit.ts';
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
  /**
   * The user's limit, a hard ceiling. Absent: the provider's lowest published tier until the
   * server advertises its own limit, which is then followed.
   */
  requestsPerMinute?: number;
}

/** How the account talks to its API: where, with which credential, named how in errors. */
export type AccountHttpOptions = Pick<
  HttpClientOptions,
  'provider' | 'baseUrl' | 'credentialLabel' | 'secrets' | 'authHeaders'
>;

/** The account's HTTP client: the engine's limiter, or one at the provider's published limit. */
export function accountHttpClient(account: AccountHttpOptions, deps: ClientDeps): HttpClient {
  const now = deps.now ?? Date.now;
  const requestsPerMinute =
    deps.requestsPerMinute ?? capabilitiesOf(account.provider).defaultRequestsPerMinute;
  return createHttpClient({
    ...account,
    fetch: deps.fetch,
    timeoutMs: deps.timeoutMs,
    limiter:
      deps.limiter ??
      createRateLimiter({
        requestsPerMinute,
        source: deps.requestsPerMinute === undefined ? 'provider' : 'user',
        now,
      }),
    now,
  });
}
