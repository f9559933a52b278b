import type { Clock } from '../../../main/core/schedule/clock.ts';

/** A clock the test moves: timers fire when `advance` passes their time. */
export class FakeClock implements Clock {
  #now: number;
  #timers: { at: number; run: () => void; cancelled: boolean }[] = [];

  constructor(start: string) {
    this.#now = Date.parse(start);
  }

  now(): Date {
    return new Date(this.#now);
  }

  setTimer(run: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.#now + Math.max(0, ms), run, cancelled: false };
    this.#timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** When the next live timer fires, or null. */
  get nextTimer(): Date | null {
    const live = this.#timers.filter((t) => !t.cancelled).map((t) => t.at);
    return live.length ? new Date(Math.min(...live)) : null;
  }

  /** Moves time on by `ms`, firing every timer that comes due, in order. */
  advance(ms: number): void {
    this.#now += ms;
    for (;;) {
      const due = this.#timers
        .filter((t) => !t.cancelled && t.at <= this.#now)
        .sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      due.cancelled = true;
      due.run();
    }
  }
}
