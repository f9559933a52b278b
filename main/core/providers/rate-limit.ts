// Per-account request pacing. Every request of one account goes through one limiter, so the
// app never exceeds the plan's rate and backs off everywhere when the server says so. With no
// user-set limit it follows what the server advertises (X-RateLimit-Limit / -Remaining /
// -Reset) instead of holding every account to the lowest published tier; a user-set limit
// stays a hard ceiling even when the server advertises more.
import type { RateLimitInForce } from '../contract/types.ts';
import type { RateLimitSource } from '../contract/vocabulary.ts';

export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RateLimiterOptions {
  /**
   * The user's setting (source `user`: a hard ceiling, never more in any 60 s window) or the
   * provider's lowest tier (source `provider`: kept only until the server advertises its own).
   */
  requestsPerMinute: number;
  /** Default `user`, so a caller that names a number is never sped past it. */
  source?: Exclude<RateLimitSource, 'server'>;
  /** A server-requested pause longer than this is capped, so a bad header cannot stall forever. */
  maxPauseMs?: number;
  now?: () => number;
  sleep?: SleepFn;
}

export interface RateLimiter {
  /** Resolves when one more request may be sent now (and counts it). */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Reads the server's rate-limit headers of a reply and pauses the account if they say so. */
  observe(status: number, headers: Headers): void;
  /** Pauses every request of the account for `ms`. */
  pauseFor(ms: number): void;
  /** A request that got no reply (network error, abort): no longer counted as in flight. */
  settle(): void;
  /** The limit requests are held to now, and where it came from. */
  inForce(): RateLimitInForce;
  /** Epoch ms until which requests wait (0 when not paused). */
  readonly pausedUntil: number;
}

export type { RateLimitInForce };

const WINDOW_MS = 60_000;

/** Abortable timer wait; rejects with the signal's reason when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * How long the server asks us to wait, from `Retry-After` (seconds or an HTTP date) and
 * `X-RateLimit-Reset` (unix seconds; small values are read as seconds from now). The longer
 * of the two wins, so we never come back before either allows. Null when neither is present.
 */
export function serverWaitMs(headers: Headers, now: number): number | null {
  const waits: number[] = [];
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) waits.push(Number(retryAfter) * 1000);
    else {
      const at = Date.parse(retryAfter);
      if (Number.isFinite(at)) waits.push(at - now);
    }
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const value = Number(reset);
    // Unix timestamps are > 1e9; anything smaller is a delta in seconds (some APIs do that).
    waits.push(value > 1e9 ? value * 1000 - now : value * 1000);
  }
  if (waits.length === 0) return null;
  return Math.max(0, Math.ceil(Math.max(...waits)));
}

/** A positive whole number from a header, or null. */
function headerCount(headers: Headers, name: string): number | null {
  const value = headers.get(name)?.trim();
  if (!value || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  const maxPauseMs = options.maxPauseMs ?? 15 * 60_000;
  const configured = Math.max(1, Math.floor(options.requestsPerMinute));
  const userSet = (options.source ?? 'user') === 'user';
  // Send times of the requests in the last window, oldest first (sliding window). A sliding
  // window of N never puts more than N into any fixed window the server may count in.
  const sent: number[] = [];
  let pausedUntil = 0;
  // The server's advertised per-minute limit, once a reply has carried one.
  let advertised: number | null = null;
  // What the server said is left until its reset, minus what we sent since it said so.
  let budget: { left: number; until: number } | null = null;
  let acquired = 0;
  let answered = 0;

  const inForce = (): RateLimitInForce => {
    if (advertised !== null && (!userSet || advertised < configured))
      return { requestsPerMinute: advertised, source: 'server' };
    return { requestsPerMinute: configured, source: userSet ? 'user' : 'provider' };
  };

  const pauseFor = (ms: number): void => {
    const until = now() + Math.min(Math.max(0, ms), maxPauseMs);
    if (until > pausedUntil) pausedUntil = until;
  };

  return {
    get pausedUntil() {
      return pausedUntil;
    },
    pauseFor,
    inForce,
    settle() {
      answered = Math.min(acquired, answered + 1);
    },
    async acquire(signal) {
      for (;;) {
        signal?.throwIfAborted();
        const t = now();
        const limit = inForce().requestsPerMinute;
        while (sent.length > 0 && (sent[0] as number) <= t - WINDOW_MS) sent.shift();
        if (budget && t >= budget.until) budget = null;
        const windowWait =
          sent.length >= limit ? (sent[sent.length - limit] as number) + WINDOW_MS - t : 0;
        const budgetWait = budget && budget.left <= 0 ? budget.until - t : 0;
        const delay = Math.max(pausedUntil - t, windowWait, budgetWait);
        if (delay <= 0) {
          sent.push(t);
          acquired++;
          if (budget) budget.left--;
          return;
        }
        await wait(delay, signal);
      }
    },
    observe(status, headers) {
      const t = now();
      answered = Math.min(acquired, answered + 1);
      const limit = headerCount(headers, 'x-ratelimit-limit');
      if (limit !== null && limit > 0) advertised = limit;
      if (status === 429) {
        // No usable header: a short pause still spreads the retries of all requests.
        pauseFor(serverWaitMs(headers, t) ?? 1000);
        return;
      }
      const remaining = headerCount(headers, 'x-ratelimit-remaining');
      if (remaining === null) return;
      const ms = serverWaitMs(headers, t);
      if (remaining === 0) {
        if (ms !== null) pauseFor(ms);
        return;
      }
      // Requests still in flight may not be in the server's count yet: count them as spent,
      // so several parallel requests do not each spend the same remaining allowance.
      const inFlight = acquired - answered;
      budget = { left: remaining - inFlight, until: t + Math.min(ms ?? WINDOW_MS, maxPauseMs) };
    },
  };
}
