// Progress events of an export, and the bookkeeping that turns per-file fractions into a
// batch fraction weighted by each file's duration.
export type ExportPhase = 'probing' | 'converting' | 'finalizing' | 'done';

export type ExportProgressEvent =
  | {
      type: 'file';
      /** Position of the output in the export's (sorted) plan. */
      index: number;
      recordingId: string;
      outputName: string;
      state: 'started' | 'progress' | 'done' | 'failed';
      fraction: number;
      /** For state "failed": why. */
      reason?: string;
    }
  | {
      type: 'batch';
      phase: ExportPhase;
      completed: number;
      failed: number;
      total: number;
      fraction: number;
    };

export class BatchProgress {
  readonly #weights: number[];
  readonly #fractions: number[];
  readonly #totalWeight: number;
  completed = 0;
  failed = 0;

  /** `durations` per output; unknown ones weigh as much as the average known one. */
  constructor(durations: readonly (number | null)[]) {
    const known = durations.filter((d): d is number => d !== null && d > 0);
    const fallback = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 1;
    this.#weights = durations.map((d) => (d !== null && d > 0 ? d : fallback));
    this.#fractions = durations.map(() => 0);
    this.#totalWeight = this.#weights.reduce((a, b) => a + b, 0);
  }

  get total(): number {
    return this.#weights.length;
  }

  set(index: number, fraction: number): void {
    this.#fractions[index] = Math.min(1, Math.max(0, fraction));
  }

  fraction(): number {
    if (this.#totalWeight === 0) return 1;
    let sum = 0;
    this.#weights.forEach((w, i) => (sum += w * (this.#fractions[i] ?? 0)));
    return sum / this.#totalWeight;
  }
}
