// One benchmark: a fresh scratch folder for its data (removed when it ends, however it ends),
// the time it took, and the result the runner and bench/RESULTS.md read.
import type { BenchResult, Metric } from './results.ts';
import { skippedResult } from './results.ts';
import { removeScratch, scratch } from './util.ts';

export interface Measured {
  /** Overrides the bench's title when the run knows more (e.g. its row count). */
  title?: string;
  metrics: Metric[];
  notes: string[];
}

export interface Bench {
  id: string;
  run(): Promise<BenchResult>;
}

export function defineBench(
  options: { id: string; title: string; skip?: () => string | null },
  measure: (work: string) => Promise<Measured>,
): Bench {
  const { id, title, skip } = options;
  return {
    id,
    async run() {
      const reason = skip?.() ?? null;
      if (reason !== null) return skippedResult(id, title, reason);
      const started = performance.now();
      const work = scratch(id);
      try {
        const measured = await measure(work);
        return { id, title, ...measured, durationMs: performance.now() - started };
      } finally {
        removeScratch(work);
      }
    },
  };
}
