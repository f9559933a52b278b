// Runs one Recvault sync in its own process, as the CLI does (same engine, CLI_ENGINE_OPTIONS),
// and prints a JSON line with the outcome and a breakdown of where the time went.
//
// Usage: node bench/lib/sync-child.ts <dataDir> <baseUrl> <sessionIdsFile> <concurrency>
// The API key comes from BENCH_KALLGLOT_KEY. Set BENCH_UNLIMITED_RATE=1 to lift the client's
// client's request pacing (it follows the server's advertised limit, starting at the lowest
// published Kallglot tier, 60/min) so the run measures the engine rather than the pacing; the
// fake's own limit is raised to match.
import fs from 'node:fs';
import { CLI_ENGINE_OPTIONS } from '../../main/cli/engine-options.ts';
import { openEngine } from '../../main/core/engine.ts';
import { createProviderClient } from '../../main/core/providers/index.ts';
import type { ProviderClient } from '../../main/core/providers/types.ts';

const [dataDir, baseUrl, sessionsFile, concurrencyArg] = process.argv.slice(2);
if (!dataDir || !baseUrl || !sessionsFile || !concurrencyArg) {
  process.stderr.write('usage: sync-child.ts DATA_DIR BASE_URL SESSIONS_FILE CONCURRENCY\n');
  process.exit(2);
}
const sessionIds = fs.readFileSync(sessionsFile, 'utf8').split('\n').filter(Boolean);
const unlimited = process.env.BENCH_UNLIMITED_RATE === '1';
const mark = { processStart: 0, engineOpen: 0, discoveryDone: 0, jobDone: 0, closed: 0 };
const sinceStart = (): number => performance.now();

function timedClient(client: ProviderClient): ProviderClient {
  return {
    ...client,
    async *discover(selection, options) {
      yield* client.discover(selection, options);
      mark.discoveryDone = sinceStart();
    },
  };
}

const engine = await openEngine({
  dataDir,
  ...CLI_ENGINE_OPTIONS,
  env: { BENCH_KALLGLOT_KEY: process.env.BENCH_KALLGLOT_KEY },
  concurrency: Number(concurrencyArg),
  maxInRunWaitMs: 0,
  createClient: (config, deps) =>
    timedClient(
      // The account service hands every client its own limiter: lifting the pacing drops it.
      createProviderClient(
        config,
        unlimited ? { ...deps, limiter: undefined, requestsPerMinute: 1e9 } : deps,
      ),
    ),
});
mark.engineOpen = sinceStart();
const account = engine.accounts.add(
  'kallglot',
  { name: 'Bench', baseUrl },
  { secretEnv: 'BENCH_KALLGLOT_KEY' },
);
const job = engine.jobs.start(account.id, {
  sessions: sessionIds.map((id) => ({ id })),
  recordingIds: [],
  callIds: [],
});
const done = await engine.jobs.wait(job.id);
mark.jobDone = sinceStart();
const audit = engine.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number };
await engine.close();
mark.closed = sinceStart();
process.stdout.write(
  `${JSON.stringify({ state: done.state, error: done.error, totals: done.totals, auditEntries: audit.n, mark })}\n`,
);
