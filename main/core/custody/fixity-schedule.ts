import type { CustodyService } from './custody-service.ts';

const DAY_MS = 86_400_000;
/** setTimeout's longest delay; a later run is re-planned when this one fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface FixityScheduleDeps {
  custody: CustodyService;
  /** Re-hashes the archive, checks the log and leaves a checkpoint (reason "scheduled"). */
  verify: () => Promise<void>;
  now?: () => number;
}

/**
 * The app's fixity check over time: every `verifyEveryDays` (default weekly) after the last
 * verification, or after the app opened when there was none, it verifies the archive and the
 * audit log; each run leaves audit entries and a checkpoint. 0 days turns it off.
 */
export class FixitySchedule {
  readonly #deps: FixityScheduleDeps;
  readonly #openedAt: number;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(deps: FixityScheduleDeps) {
    this.#deps = deps;
    this.#openedAt = this.#now();
  }

  #now(): number {
    return this.#deps.now?.() ?? Date.now();
  }

  /** When the next run is due (ms since the epoch), or null when off. */
  nextDue(): number | null {
    const days = this.#deps.custody.settings.view().verifyEveryDays;
    if (days === 0) return null;
    const last = this.#deps.custody.lastVerifyAt();
    const from = last === null ? this.#openedAt : Date.parse(last);
    return from + days * DAY_MS;
  }

  /** Plans the next run (again, after a settings change). */
  plan(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const due = this.#stopped ? null : this.nextDue();
    this.#deps.custody.nextScheduledVerifyAt = due === null ? null : new Date(due).toISOString();
    if (due === null) return;
    const wait = Math.min(Math.max(due - this.#now(), 0), MAX_TIMER_MS);
    this.#timer = setTimeout(() => void this.#fire(), wait);
    this.#timer.unref();
  }

  async #fire(): Promise<void> {
    const due = this.nextDue();
    if (due !== null && due <= this.#now() && !this.#running) {
      this.#running = this.#deps.verify().finally(() => {
        this.#running = null;
      });
      await this.#running.catch(() => undefined);
    }
    this.plan();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
  }
}
