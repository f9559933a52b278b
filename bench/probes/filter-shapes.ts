// The index-scale bench's filtered searches on an index seeded beforehand (probes/seed-once.ts),
// each shape timed over several runs: for working on the slowest shapes without reseeding.
// Usage: node bench/probes/filter-shapes.ts INDEX_FILE [repeats=3]
import { libraryQuerySchema, type LibraryQuery } from '../../main/core/contract/requests.ts';
import { openDatabase } from '../../main/core/db/open-database.ts';
import { LibraryService } from '../../main/core/library/library-service.ts';
import { percentile } from '../lib/util.ts';

const [file, repeatsArg] = process.argv.slice(2);
const repeats = Number(repeatsArg ?? 3);
const db = openDatabase(file!);
const library = new LibraryService(db, 'cli');
const baseQuery = (): LibraryQuery => libraryQuerySchema.parse({});
const time = (query: LibraryQuery): number => {
  const t = performance.now();
  library.search(query, null, 100, true);
  return performance.now() - t;
};
for (let i = 0; i < 5; i++) time(baseQuery());
const providers = ['kallglot', 'koreai', 'envoy'] as const;
const channels = ['mixed', 'agent', 'customer'] as const;
const states = ['archived', 'pending', 'failed'] as const;
const all: number[] = [];
const byShape = new Map<string, number[]>();
for (let r = 0; r < repeats; r++) {
  for (let i = 0; i < 200; i++) {
    const month = new Date(Date.now() - (i % 24) * 30 * 86400_000);
    const from = month.toISOString().slice(0, 8) + '01';
    const shape = i % 4;
    const query: LibraryQuery = {
      ...baseQuery(),
      providers: [providers[i % 3]!],
      channels: shape >= 1 ? [channels[(i >> 1) % 3]!] : [],
      states: shape >= 2 ? [states[(i >> 2) % 3]!] : [],
      ...(shape === 3 ? { from, to: null } : {}),
      ...(i % 5 === 0 ? { expiringWithinDays: 7, notArchived: true } : {}),
      sort: (['recorded_desc', 'expires_asc', 'size_desc', 'recorded_asc'] as const)[i % 4]!,
    };
    const ms = time(query);
    all.push(ms);
    const name = `#${i} ${JSON.stringify({ ...query, page: undefined, limit: undefined })}`;
    byShape.set(name, [...(byShape.get(name) ?? []), ms]);
  }
}
const worst = [...byShape]
  .map(([name, times]) => ({ name, median: percentile(times, 50) }))
  .sort((a, b) => b.median - a.median)
  .slice(0, 12);
process.stdout.write(
  `p50 ${percentile(all, 50).toFixed(1)} ms, p95 ${percentile(all, 95).toFixed(1)} ms, max ${Math.max(...all).toFixed(0)} ms\n`,
);
for (const w of worst) process.stdout.write(`${w.median.toFixed(1).padStart(7)} ms  ${w.name}\n`);
db.close();

// PROBE_EXPLAIN=1: each statement of the three slowest shapes, its time and its query plan.
if (process.env.PROBE_EXPLAIN === '1') {
  const again = openDatabase(file!);
  const prepare = again.prepare.bind(again);
  let log: string[] = [];
  (again as { prepare: typeof again.prepare }).prepare = ((sql: string) => {
    const statement = prepare(sql);
    const timedCall =
      (method: 'get' | 'all') =>
      (...params: unknown[]) => {
        const t = performance.now();
        const out = (statement[method] as (...p: unknown[]) => unknown)(...params);
        const ms = performance.now() - t;
        const plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
          .map((row) => `      ${row.detail}`)
          .join('\n');
        log.push(
          `  ${ms.toFixed(1)} ms  ${sql.replace(/\s+/g, ' ').slice(0, 600)}\n    ${JSON.stringify(params)}\n${plan}`,
        );
        return out;
      };
    return new Proxy(statement, {
      get: (target, key) =>
        key === 'get' || key === 'all' ? timedCall(key) : Reflect.get(target, key),
    });
  }) as typeof again.prepare;
  const service = new LibraryService(again, 'cli');
  for (const w of worst.slice(0, Number(process.env.PROBE_EXPLAIN_N ?? 3))) {
    const query = JSON.parse(w.name.slice(w.name.indexOf(' ') + 1)) as LibraryQuery;
    log = [];
    service.search({ ...baseQuery(), ...query }, null, 100, true);
    process.stdout.write(`\n== ${w.name}\n${log.join('\n')}\n`);
  }
}
