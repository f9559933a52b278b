// Bench 1: archive throughput with many small files. 1,000 recordings of ~3 MB from the
// Kallglot fake on loopback, 20 ms added to every API request. Recvault's sync (list calls,
// one download call per recording, signed-URL fetch, SHA-256, fsync, sidecar, index rows and
// audit entries) against aria2c and `xargs -P N curl` fetching the same signed storage URLs.
import fs from 'node:fs';
import path from 'node:path';
import { fakeAudio } from '../test/fakes/audio.ts';
import { BENCH_KALLGLOT_KEY, seedRecordings, startBenchKallglot } from './lib/fake-kallglot.ts';
import { defineBench } from './lib/bench.ts';
import { KNOBS } from './lib/knobs.ts';
import { againstPeer } from './lib/results.ts';
import { runStandalone } from './lib/standalone.ts';
import {
  expectOk,
  folderSize,
  formatBytes,
  formatMs,
  formatRate,
  log,
  nodeTs,
  removeScratch,
  runChild,
  scratch,
} from './lib/util.ts';

const RECORDINGS = KNOBS.smallCount;
const PER_SESSION = 10;
/** The app's default concurrency (settings), given to every contender. */
const CONCURRENCY = KNOBS.concurrency;
const LATENCY_MS = 20;
const ROUNDS = KNOBS.rounds;

export const { id, run } = defineBench(
  { id: 'archive-small', title: 'Archive throughput, many small files' },
  async (work) => {
    // 94 s of 16 kHz mono 16-bit PCM: 3.0 MB, a real WAV that players and ffprobe accept.
    const audio = await fakeAudio({ channel: 'agent', format: 'wav', durationSec: 94 });
    const body = {
      data: fs.readFileSync(audio.path),
      format: 'wav',
      contentType: audio.contentType,
      durationSec: audio.durationSec,
      sampleRate: audio.sampleRate,
    };
    const fake = await startBenchKallglot(LATENCY_MS);
    const fakeNoDelay = await startBenchKallglot(0);
    try {
      const sessions = Math.ceil(RECORDINGS / PER_SESSION);
      const seeded = seedRecordings(fake, body, sessions, PER_SESSION);
      const totalBytes = seeded.recordings.length * body.data.length;
      const sessionsFile = path.join(work, 'sessions.txt');
      fs.writeFileSync(sessionsFile, seeded.sessionIds.join('\n') + '\n');
      // The same signed URLs the API hands out, signed once for the peers.
      const urls = seeded.recordings.map((r) => ({
        name: `${r.id}.${r.format}`,
        url: fake.storage.sign(r.fileKey, 6 * 3600),
      }));
      const ariaList = path.join(work, 'urls-aria2.txt');
      fs.writeFileSync(ariaList, urls.map((u) => `${u.url}\n  out=${u.name}\n`).join(''));
      const curlList = path.join(work, 'urls-curl.txt');

      const times = {
        recvault: [] as number[],
        recvaultNoDelay: [] as number[],
        aria2c: [] as number[],
        curl: [] as number[],
      };
      // The same recordings on a fake with no added API latency, for the delay-0 figure.
      const seededNoDelay = seedRecordings(fakeNoDelay, body, sessions, PER_SESSION);
      const sessionsFileNoDelay = path.join(work, 'sessions-no-delay.txt');
      fs.writeFileSync(sessionsFileNoDelay, seededNoDelay.sessionIds.join('\n') + '\n');
      let breakdown: Record<string, number> = {};
      let apiRequests = 0;
      let auditEntries = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        // Recvault: a fresh data directory each round, so everything is fetched again.
        const apiBefore = fake.requests.length;
        const synced = await syncOnce(fake.baseUrl, sessionsFile, seeded.recordings.length);
        times.recvault.push(synced.ms);
        apiRequests = fake.requests.length - apiBefore;
        auditEntries = synced.auditEntries;
        breakdown = synced.breakdown;
        log(`${id} round ${round}: Recvault ${formatMs(synced.ms)}`);
        // The same run with no API delay: what the +20 ms per call costs Recvault alone.
        const bare = await syncOnce(
          fakeNoDelay.baseUrl,
          sessionsFileNoDelay,
          seeded.recordings.length,
        );
        times.recvaultNoDelay.push(bare.ms);
        log(`${id} round ${round}: Recvault, API delay 0: ${formatMs(bare.ms)}`);

        const ariaDir = scratch(`${id}/aria2c`);
        await runChild('sync', []);
        const aria = expectOk(
          await runChild(
            'aria2c',
            [
              '-j',
              String(CONCURRENCY),
              '-i',
              ariaList,
              '-d',
              ariaDir,
              '-q',
              '--allow-overwrite=true',
              '--auto-file-renaming=false',
            ],
            { timeoutMs: 600_000 },
          ),
          'aria2c',
        );
        checkFetched(ariaDir, seeded.recordings.length, totalBytes, 'aria2c');
        times.aria2c.push(aria.ms);
        log(`${id} round ${round}: aria2c ${formatMs(aria.ms)}`);
        removeScratch(ariaDir);

        const curlDir = scratch(`${id}/curl`);
        fs.writeFileSync(
          curlList,
          urls.map((u) => `${path.join(curlDir, u.name)} ${u.url}\n`).join(''),
        );
        await runChild('sync', []);
        const curl = expectOk(
          await runChild(
            'sh',
            ['-c', `xargs -P ${CONCURRENCY} -n 2 curl -sSf -o < "${curlList}"`],
            {
              timeoutMs: 600_000,
            },
          ),
          'xargs curl',
        );
        checkFetched(curlDir, seeded.recordings.length, totalBytes, 'curl');
        times.curl.push(curl.ms);
        log(`${id} round ${round}: curl ${formatMs(curl.ms)}`);
        removeScratch(curlDir);
      }

      const best = (list: number[]): number => Math.min(...list);
      const recvault = best(times.recvault);
      const recvaultNoDelay = best(times.recvaultNoDelay);
      const aria2c = best(times.aria2c);
      const curl = best(times.curl);
      const label = `${seeded.recordings.length} × ${formatBytes(body.data.length)}, N=${CONCURRENCY}`;
      return {
        metrics: [
          {
            ...againstPeer(`sync time (${label})`, 'aria2c', { recvault, peer: aria2c }),
            target: '≥ 1.00× aria2c speed',
            met: aria2c / recvault >= 1,
          },
          againstPeer(`sync time (${label})`, 'xargs curl', { recvault, peer: curl }),
          againstPeer(`sync time, API delay 0 (${label})`, 'aria2c', {
            recvault: recvaultNoDelay,
            peer: aria2c,
          }),
          {
            name: 'throughput',
            recvault: formatRate(totalBytes / (recvault / 1000)),
            peer: formatRate(totalBytes / (aria2c / 1000)),
            peerName: 'aria2c',
          },
        ],
        notes: [
          `${seeded.recordings.length} recordings of ${body.data.length} bytes (a 94 s 16 kHz mono WAV), ` +
            `${sessions} sessions of ${PER_SESSION}, ${formatBytes(totalBytes)} in all; ` +
            `${LATENCY_MS} ms added to every Kallglot API request; concurrency ${CONCURRENCY} for every contender ` +
            `(Recvault's default); best of ${ROUNDS} rounds, each from an empty target and after \`sync\`.`,
          `Ratios are speed ratios (peer time ÷ Recvault time): above 1 means Recvault was faster.`,
          `Times are wall times from spawn to exit of each process: Recvault runs \`bench/lib/sync-child.ts\` ` +
            `(the CLI's engine, transport "cli") in its own process; the fake API and storage run in the bench process.`,
          `Recvault's time includes ${apiRequests} API requests (list pages + one /download per recording, ` +
            `each +${LATENCY_MS} ms), SHA-256 while streaming, fdatasync of each file and its sidecar, a folder fsync, ` +
            `a JSON sidecar per recording, index rows and ${auditEntries} audit entries; ` +
            `aria2c and curl fetch the bare signed storage URLs (no API, no fsync, no checksum).`,
          `Where Recvault's time went (last round): ${Object.entries(breakdown)
            .map(([k, v]) => `${k} ${formatMs(v)}`)
            .join(', ')}.`,
          `The client's pacing is lifted for this bench through the engine's createClient seam (it follows ` +
            `the server's advertised limit; at the lowest published Kallglot tier, 60/min, ${apiRequests} ` +
            `requests would take at least ${formatMs((apiRequests / 60) * 60_000)} whatever the engine does).`,
          `"API delay 0" is the same sync against a second fake with no added latency (same recordings, ` +
            `same concurrency): the gap between the two rows is what the ${LATENCY_MS} ms per call costs.`,
          `All rounds (ms): Recvault ${times.recvault.map((t) => t.toFixed(0)).join(', ')}; ` +
            `Recvault at API delay 0 ${times.recvaultNoDelay.map((t) => t.toFixed(0)).join(', ')}; ` +
            `aria2c ${times.aria2c.map((t) => t.toFixed(0)).join(', ')}; ` +
            `curl ${times.curl.map((t) => t.toFixed(0)).join(', ')}.`,
        ],
      };
    } finally {
      await fake.close();
      await fakeNoDelay.close();
    }
  },
);

interface SyncOutcome {
  ms: number;
  auditEntries: number;
  breakdown: Record<string, number>;
}

/** One Recvault sync in its own process, from a fresh data directory. */
async function syncOnce(
  baseUrl: string,
  sessionsFile: string,
  expected: number,
): Promise<SyncOutcome> {
  const dataDir = scratch(`${id}/recvault`);
  await runChild('sync', []);
  const [node, args] = nodeTs('lib/sync-child.ts', [
    dataDir,
    baseUrl,
    sessionsFile,
    String(CONCURRENCY),
  ]);
  const sync = expectOk(
    await runChild(node, args, {
      env: { ...process.env, BENCH_KALLGLOT_KEY, BENCH_UNLIMITED_RATE: '1' },
      timeoutMs: 600_000,
    }),
    'Recvault sync',
  );
  const outcome = JSON.parse(sync.stdout.trim().split('\n').at(-1)!) as {
    state: string;
    totals: { archived: number; failed: number; bytesDone: number };
    auditEntries: number;
    mark: { engineOpen: number; discoveryDone: number; jobDone: number; closed: number };
  };
  if (outcome.state !== 'done' || outcome.totals.archived !== expected) {
    throw new Error(`Recvault sync did not archive everything: ${sync.stdout}`);
  }
  removeScratch(dataDir);
  return {
    ms: sync.ms,
    auditEntries: outcome.auditEntries,
    breakdown: {
      'process start + engine open': outcome.mark.engineOpen,
      discovery: outcome.mark.discoveryDone - outcome.mark.engineOpen,
      downloads: outcome.mark.jobDone - outcome.mark.discoveryDone,
      'close + exit': sync.ms - outcome.mark.jobDone,
    },
  };
}

function checkFetched(dir: string, files: number, bytes: number, who: string): void {
  const got = folderSize(dir);
  if (got.files !== files || got.bytes !== bytes) {
    throw new Error(
      `${who} fetched ${got.files} files / ${got.bytes} bytes, expected ${files} / ${bytes}`,
    );
  }
}

if (import.meta.main) await runStandalone(run);
