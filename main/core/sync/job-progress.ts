import { ThroughputMeter } from './throughput.ts';

/** At most this many progress events a second per job. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * One running job's progress: the items changed since the last report and the transfer rate.
 * Changes are gathered and reported at most every PROGRESS_INTERVAL_MS, so thousands of small
 * updates a second reach the UI as ten events.
 */
export class JobProgress {
  readonly #report: (recordingIds: number[]) => void;
  readonly #meter = new ThroughputMeter();
  readonly #changed = new Set<number>();
  #timer: NodeJS.Timeout | null = null;

  /** `report` receives the recordings changed since its last call (possibly none). */
  constructor(report: (recordingIds: number[]) => void) {
    this.#report = report;
  }

  itemChanged(recordingId: number, bytes: number): void {
    this.#meter.add(bytes);
    this.#changed.add(recordingId);
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      this.flush();
    }, PROGRESS_INTERVAL_MS);
  }

  bytesPerSecond(): number {
    return this.#meter.bytesPerSecond();
  }

  /** Reports what changed now (the run ended, or the interval passed). */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const ids = [...this.#changed];
    this.#changed.clear();
    this.#report(ids);
  }
}
