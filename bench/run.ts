// `npm run bench`: builds the app, runs every benchmark (or the ones named), prints the table
// and writes bench/RESULTS.md with the machine it ran on.
//   node bench/run.ts                      all, writes bench/RESULTS.md
//   node bench/run.ts index-scale ...      only those; writes bench/.work/RESULTS-partial.md
//   node bench/run.ts --no-build ...       skip `npm run build` (the UI and large-file benches use out/)
//   node bench/run.ts --write index-scale  a subset, but write bench/RESULTS.md anyway
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as archiveLarge from './archive-large.ts';
import * as archiveSmall from './archive-small.ts';
import * as discovery from './discovery.ts';
import * as exportBatch from './export-batch.ts';
import * as indexScale from './index-scale.ts';
import * as libraryUi from './library-ui.ts';
import * as loadFiles from './load-files.ts';
import * as vaultUpload from './vault-upload.ts';
import type { Bench } from './lib/bench.ts';
import type { BenchResult } from './lib/results.ts';
import {
  consoleTable,
  describeMachine,
  markdown,
  skippedResult,
  writeMarkdown,
} from './lib/results.ts';
import { BENCH_DIR, formatMs, log, REPO_ROOT, WORK_DIR } from './lib/util.ts';

const BENCHES: Bench[] = [
  archiveSmall,
  archiveLarge,
  indexScale,
  discovery,
  exportBatch,
  libraryUi,
  loadFiles,
  vaultUpload,
];

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !BENCHES.some((b) => b.id === n));
if (unknown.length > 0) {
  process.stderr.write(
    `Unknown bench ${unknown.join(', ')}. Known: ${BENCHES.map((b) => b.id).join(', ')}\n`,
  );
  process.exit(2);
}
const selected = names.length > 0 ? BENCHES.filter((b) => names.includes(b.id)) : BENCHES;

const started = performance.now();
if (!flags.has('--no-build')) {
  log('npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
const machine = describeMachine();
const results: BenchResult[] = [];
for (const bench of selected) {
  log(`${bench.id}: starting (${formatMs(performance.now() - started)} elapsed)`);
  try {
    results.push(await bench.run());
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`${bench.id} failed: ${message}`);
    results.push(skippedResult(bench.id, bench.id, `failed: ${message.split('\n')[0]}`));
  }
  log(`${bench.id}: done`);
}
const totalMs = performance.now() - started;
process.stdout.write(`\n${consoleTable(results)}\n\nTotal: ${formatMs(totalMs)}\n`);
const full = names.length === 0 || flags.has('--write');
const target = full
  ? path.join(BENCH_DIR, 'RESULTS.md')
  : path.join(WORK_DIR, 'RESULTS-partial.md');
fs.mkdirSync(path.dirname(target), { recursive: true });
writeMarkdown(target, markdown(machine, results, totalMs));
process.stdout.write(`Written: ${path.relative(REPO_ROOT, target)}\n`);
if (results.some((r) => r.skipped?.startsWith('failed'))) process.exitCode = 1;
