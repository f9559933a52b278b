// Bench 2: archive throughput with one large file. A 2 GiB recording (a WAV header over 2 GiB
// of sample bytes, served from memory by the storage fake) synced by the real CLI
// (`node bin/recvault.js sync`) in a child process whose memory is sampled from /proc, against
// a single `curl` of the same signed storage URL.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  BENCH_KALLGLOT_KEY,
  seedRecordings,
  startBenchKallglot,
  wavHeader,
} from './lib/fake-kallglot.ts';
import { defineBench } from './lib/bench.ts';
import { KNOBS } from './lib/knobs.ts';
import { againstPeer } from './lib/results.ts';
import { runStandalone } from './lib/standalone.ts';
import {
  childNodeFlags,
  expectOk,
  formatBytes,
  formatMs,
  formatRate,
  log,
  REPO_ROOT,
  removeScratch,
  runChild,
  scratch,
} from './lib/util.ts';

const SIZE = KNOBS.largeBytes;
const ROUNDS = KNOBS.rounds;
const RSS_TARGET = 200 * 2 ** 20;

/** `size` bytes: a 48 kHz stereo WAV header, then a random 1 MiB block repeated. */
function largeWav(size: number): Buffer {
  const data = Buffer.allocUnsafe(size);
  wavHeader(size - 44, 48_000, 2).copy(data, 0);
  const block = randomBytes(2 ** 20);
  for (let at = 44; at < size; at += block.length)
    block.copy(data, at, 0, Math.min(block.length, size - at));
  return data;
}

export const { id, run } = defineBench(
  { id: 'archive-large', title: 'Archive throughput, one large file' },
  async (work) => {
    const fake = await startBenchKallglot(20);
    try {
      const body = {
        data: largeWav(SIZE),
        format: 'wav',
        contentType: 'audio/wav',
        durationSec: (SIZE - 44) / (48_000 * 4),
        sampleRate: 48_000,
      };
      const seeded = seedRecordings(fake, body, 1, 1, 'large');
      const recording = seeded.recordings[0]!;
      const url = fake.storage.sign(recording.fileKey, 6 * 3600);
      const cli = path.join(REPO_ROOT, 'bin/recvault.js');
      const env = { ...process.env, BENCH_KALLGLOT_KEY };

      const times = { recvault: [] as number[], curl: [] as number[], curlFsync: [] as number[] };
      let peakRss = 0;
      let hwm = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        const dataDir = scratch(`${id}/recvault`);
        expectOk(
          await runChild(
            process.execPath,
            [
              cli,
              'account',
              'add',
              'kallglot',
              '--name',
              'Large',
              '--base-url',
              fake.baseUrl,
              '--api-key-env',
              'BENCH_KALLGLOT_KEY',
              '--data-dir',
              dataDir,
            ],
            { env },
          ),
          'recvault account add',
        );
        await runChild('sync', []);
        const sync = expectOk(
          await runChild(
            process.execPath,
            [
              ...childNodeFlags(),
              cli,
              'sync',
              '--account',
              'Large',
              '--session',
              seeded.sessionIds[0]!,
              '--data-dir',
              dataDir,
              '--json',
            ],
            { env, rssEveryMs: 10, timeoutMs: 600_000 },
          ),
          'recvault sync',
        );
        const archived = fs
          .readdirSync(path.join(dataDir, 'archive'), { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile() && e.name.endsWith('.wav'))
          .map((e) => fs.statSync(path.join(e.parentPath, e.name)).size);
        if (archived.length !== 1 || archived[0] !== SIZE) {
          throw new Error(
            `Recvault did not archive the ${SIZE}-byte file: ${sync.stdout.slice(0, 500)}`,
          );
        }
        times.recvault.push(sync.ms);
        peakRss = Math.max(peakRss, sync.peakRssBytes ?? 0);
        hwm = Math.max(hwm, sync.hwmBytes ?? 0);
        log(
          `${id} round ${round}: Recvault ${formatMs(sync.ms)}, peak RSS ${formatBytes(sync.peakRssBytes ?? NaN)}`,
        );
        removeScratch(dataDir);

        const out = path.join(work, 'curl.wav');
        await runChild('sync', []);
        const curl = expectOk(
          await runChild('curl', ['-sSf', '-o', out, url], { timeoutMs: 600_000 }),
          'curl',
        );
        if (fs.statSync(out).size !== SIZE) throw new Error('curl fetched a different size');
        times.curl.push(curl.ms);
        fs.rmSync(out);
        await runChild('sync', []);
        const curlSync = expectOk(
          await runChild('sh', ['-c', `curl -sSf -o "${out}" "${url}" && sync "${out}"`], {
            timeoutMs: 600_000,
          }),
          'curl + sync',
        );
        times.curlFsync.push(curlSync.ms);
        fs.rmSync(out);
        log(`${id} round ${round}: curl ${formatMs(curl.ms)}, curl+fsync ${formatMs(curlSync.ms)}`);
      }
      const recvault = Math.min(...times.recvault);
      const curl = Math.min(...times.curl);
      const curlFsync = Math.min(...times.curlFsync);
      const throughput = `throughput (${formatBytes(SIZE)})`;
      const rate = (ms: number): string => formatRate(SIZE / (ms / 1000));
      return {
        metrics: [
          {
            ...againstPeer(throughput, 'curl', { recvault, peer: curl }, rate),
            target: '≥ 0.90× curl',
            met: curl / recvault >= 0.9,
          },
          againstPeer(throughput, 'curl + fsync', { recvault, peer: curlFsync }, rate),
          {
            name: 'peak RSS of the sync process',
            recvault: formatBytes(Math.max(peakRss, hwm)),
            target: '< 200 MiB',
            met: Math.max(peakRss, hwm) < RSS_TARGET,
          },
        ],
        notes: [
          `One ${SIZE}-byte recording (48 kHz stereo WAV header over random sample bytes), served from memory by the storage fake; ` +
            `the Kallglot API adds 20 ms per request. Best of ${ROUNDS} rounds, each after \`sync\`.`,
          `Recvault is the built CLI, \`node bin/recvault.js sync --account … --session … --json\`, timed from spawn to exit ` +
            `(process start, engine open, 2 API requests, the download with SHA-256 while streaming, fdatasync, sidecar, folder fsync, index and audit).`,
          `Peak RSS: the highest of VmRSS sampled every 10 ms and the kernel's VmHWM from /proc/<pid>/status.`,
          `curl writes into the page cache and exits; "curl + fsync" adds \`sync FILE\` so both sides end with the bytes on disk.`,
          `All rounds (ms): Recvault ${times.recvault.map((t) => t.toFixed(0)).join(', ')}; curl ${times.curl
            .map((t) => t.toFixed(0))
            .join(', ')}; curl + fsync ${times.curlFsync.map((t) => t.toFixed(0)).join(', ')}.`,
        ],
      };
    } finally {
      await fake.close();
    }
  },
);

if (import.meta.main) await runStandalone(run);
