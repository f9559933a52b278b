// Bench: discovery rate. A sync job of 1,000 sessions × 100 recordings (100,000 in all) whose
// listing pages come from memory (no API latency, no HTTP), through the engine's own job
// (discoverAll, the index writes, the job's items) into a fresh index: the engine's time per
// recording, which is what decides how soon a large backlog starts downloading.
import { CLI_ENGINE_OPTIONS } from '../main/cli/engine-options.ts';
import { openEngine } from '../main/core/engine.ts';
import type { ProviderClient, RemoteRecording, Selection } from '../main/core/providers/types.ts';
import { defineBench } from './lib/bench.ts';
import { formatMs, log } from './lib/util.ts';

const SESSIONS = Number(process.env.BENCH_DISCOVERY_SESSIONS ?? 1000);
const PER_SESSION = 100;
/** A Kallglot listing page. */
const PAGE = 100;
const TARGET_PER_SECOND = 5000;

function recording(session: number, n: number): RemoteRecording {
  const id = `rec_disc_${String(session * PER_SESSION + n).padStart(7, '0')}`;
  const at = Date.UTC(2026, 0, 1) + (session * PER_SESSION + n) * 60_000;
  return {
    provider: 'kallglot',
    remoteId: id,
    sessionId: `sess_disc_${String(session).padStart(5, '0')}`,
    callId: null,
    userId: null,
    channel: (['agent', 'customer', 'mixed'] as const)[n % 3]!,
    status: 'ready',
    providerStatus: 'completed',
    format: 'wav',
    contentType: 'audio/wav',
    size: 3_008_044,
    durationSec: 94,
    sampleRate: 16000,
    bitDepth: 16,
    recordedAt: new Date(at).toISOString(),
    createdAt: new Date(at + 5000).toISOString(),
    expiresAt: new Date(at + 90 * 86400_000).toISOString(),
    phoneNumbers: [],
    providerFileName: `${id}.wav`,
    raw: { id },
  };
}

/**
 * Lists from memory, a page per event-loop turn (as pages arriving from the network would).
 * The job downloads only after discovery is done and recorded, so the first `open` marks it.
 */
function memoryClient(onListed: () => void, onFirstOpen: () => void): ProviderClient {
  let listing = 0;
  return {
    provider: 'kallglot',
    test: async () => undefined,
    async *discover(selection: Selection) {
      if (selection.kind !== 'kallglot-session') return;
      listing++;
      const session = Number(selection.sessionId.slice('sess_disc_'.length));
      for (let n = 0; n < PER_SESSION; n++) {
        if (n % PAGE === 0) await new Promise((resolve) => setImmediate(resolve));
        yield recording(session, n);
      }
      if (--listing === 0) onListed();
    },
    describe: async (r) => r,
    // Downloads are not measured: each waits until the job is cancelled.
    open: (_r, options) => {
      onFirstOpen();
      return new Promise((_resolve, reject) =>
        options?.signal?.addEventListener('abort', () => reject(options.signal!.reason), {
          once: true,
        }),
      );
    },
  };
}

export const { id, run } = defineBench(
  { id: 'discovery', title: 'Discovery rate' },
  async (work) => {
    let listedAt = 0;
    let opened: () => void = () => undefined;
    const downloading = new Promise<void>((resolve) => (opened = resolve));
    const engine = await openEngine({
      dataDir: work,
      ...CLI_ENGINE_OPTIONS,
      env: { BENCH_DISCOVERY_KEY: 'sk_test_discovery' },
      concurrency: 1,
      maxInRunWaitMs: 0,
      createClient: () =>
        memoryClient(
          () => (listedAt = performance.now()),
          () => opened(),
        ),
    });
    try {
      const account = engine.accounts.add(
        'kallglot',
        { name: 'Discovery', baseUrl: 'http://127.0.0.1:9' },
        { secretEnv: 'BENCH_DISCOVERY_KEY' },
      );
      const sessions = Array.from({ length: SESSIONS }, (_, s) => ({
        id: `sess_disc_${String(s).padStart(5, '0')}`,
      }));
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const job = engine.jobs.start(account.id, { sessions, recordingIds: [], callIds: [] });
      await downloading;
      const ms = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      await engine.jobs.cancel(job.id);
      const count = SESSIONS * PER_SESSION;
      const rate = count / (ms / 1000);
      log(`${id}: ${count} recordings in ${formatMs(ms)}`);
      return {
        metrics: [
          {
            name: `discovery of ${count.toLocaleString('en-US')} recordings (engine time)`,
            recvault: `${Math.round(rate).toLocaleString('en-US')} recordings/s`,
            target: `≥ ${TARGET_PER_SECOND.toLocaleString('en-US')} recordings/s`,
            met: rate >= TARGET_PER_SECOND,
          },
        ],
        notes: [
          `${SESSIONS} session selections × ${PER_SESSION} recordings, listed from memory in pages of ${PAGE} ` +
            `(one event-loop turn per page, no HTTP, no API latency) through the engine's sync job into a fresh index: ` +
            `discoverAll, the index rows (FTS trigger included), the job's items.`,
          `${formatMs(ms)} from the job's start to its first download (discovery recorded as done), the last page listed at ${formatMs(listedAt - started)}; process CPU meanwhile ` +
            `${formatMs((cpu.user + cpu.system) / 1000)}.`,
        ],
      };
    } finally {
      await engine.close();
    }
  },
);

if (import.meta.main) {
  const { runStandalone } = await import('./lib/standalone.ts');
  await runStandalone(run);
}
