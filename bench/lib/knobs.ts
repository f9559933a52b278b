// The environment knobs of the benchmarks (bench/README.md, Knobs), read in one place.
function envNumber(name: string, fallback: number): number {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : Number(value);
}

export const KNOBS = {
  /** Rounds of the archive benches (best of). */
  rounds: envNumber('BENCH_ROUNDS', 2),
  /** Concurrency for Recvault, aria2c and curl (Recvault's default setting). */
  concurrency: envNumber('BENCH_CONCURRENCY', 4),
  smallCount: envNumber('BENCH_SMALL_COUNT', 1000),
  largeBytes: envNumber('BENCH_LARGE_BYTES', 2 * 2 ** 30),
  indexRows: envNumber('BENCH_INDEX_ROWS', 1_000_000),
  exportCount: envNumber('BENCH_EXPORT_COUNT', 200),
  uiRows: envNumber('BENCH_UI_ROWS', 100_000),
};
