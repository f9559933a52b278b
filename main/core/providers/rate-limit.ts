// Per-account request pacing. Every request of one account goes through one limiter, so the
// app never exceeds the plan's published rate and backs off everywhere when the server says so.

export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RateLimiterOptions {
  /** Hard ceiling: never more than this many requests in any 60 s window. */
  requestsPerMinute: number;
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
  /** Epoch ms until which requests wait (0 when not paused). */
  readonly pausedUntil: number;
}

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

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  const maxPauseMs = options.maxPauseMs ?? 15 * 60_000;
  const limit = Math.max(1, Math.floor(options.requestsPerMinute));
  // Send times of the requests in the last window, oldest first (sliding window).
  const sent: number[] = [];
  let pausedUntil = 0;

  const pauseFor = (ms: number): void => {
    const until = now() + Math.min(Math.max(0, ms), maxPauseMs);
    if (until > pausedUntil) pausedUntil = until;
  };

  return {
    get pausedUntil() {
      return pausedUntil;
    },
    pauseFor,
    async acquire(signal) {
      for (;;) {
        signal?.throwIfAborted();
        const t = now();
        while (sent.length > 0 && (sent[0] as number) <= t - WINDOW_MS) sent.shift();
        const windowWait = sent.length >= limit ? (sent[0] as number) + WINDOW_MS - t : 0;
        const delay = Math.max(pausedUntil - t, windowWait);
        if (delay <= 0) {
          sent.push(t);
          return;
        }
        await wait(delay, signal);
      }
    },
    observe(status, headers) {
      const t = now();
      if (status === 429) {
        // No usable header: a short pause still spreads the retries of all requests.
        pauseFor(serverWaitMs(headers, t) ?? 1000);
        return;
      }
      if (headers.get('x-ratelimit-remaining')?.trim() === '0') {
        const ms = serverWaitMs(headers, t);
        if (ms !== null) pauseFor(ms);
      }
    },
  };
}
