/** Time as the scheduler sees it: the real clock in the app, a fake one in tests. */
export interface Clock {
  now(): Date;
  setTimer(run: () => void, ms: number): { cancel(): void };
}

/** Longest single wait: timers of more than ~24.8 days overflow; re-arming is harmless. */
const MAX_WAIT_MS = 6 * 3_600_000;

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(run, ms) {
    const timer = setTimeout(run, Math.min(Math.max(0, ms), MAX_WAIT_MS));
    timer.unref?.();
    return { cancel: () => clearTimeout(timer) };
  },
};
