// A/B probe for the archive-small levers (not in `npm run bench`): one Kallglot fake (+20 ms
// per API call), the same recordings synced by two checkouts of Recvault in turn (A = a
// baseline tree, B = this one), beside a bare script and aria2c on the same signed URLs,
// several alternating rounds, medians. For a loaded machine: only the ratios within a round
// mean anything.
//
// Usage: node bench/probes/ab-archive-small.ts BASELINE_TREE [count=300] [rounds=3] [latencyMs=20]
// PROBE_LARGE_BYTES=N: one recording of N random bytes instead (the archive-large case), with
// `curl` + `sync FILE` as the peer in aria2c's column.
import fs from 'node:fs';
import path from 'node:path';
import { fakeAudio } from '../../test/fakes/audio.ts';
import { BENCH_KALLGLOT_KEY, seedRecordings, startBenchKallglot } from '../lib/fake-kallglot.ts';
import { BENCH_DIR, expectOk, median, runChild, scratch, removeScratch } from '../lib/util.ts';
import os from 'node:os';
import { randomBytes } from 'node:crypto';

const [baseline, countArg, roundsArg, latencyArg] = process.argv.slice(2);
if (!baseline) throw new Error('usage: ab-archive-small.ts BASELINE_TREE [count] [rounds]');
const count = Number(countArg ?? 300);
const rounds = Number(roundsArg ?? 3);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);
const audio = await fakeAudio({ channel: 'agent', format: 'wav', durationSec: 94 });
const largeBytes = Number(process.env.PROBE_LARGE_BYTES ?? 0);
function randomBody(size: number): Buffer {
  const data = Buffer.allocUnsafe(size);
  const block = randomBytes(2 ** 20);
  for (let at = 0; at < size; at += block.length)
    block.copy(data, at, 0, Math.min(block.length, size - at));
  return data;
}
const body = {
  data: largeBytes > 0 ? randomBody(largeBytes) : fs.readFileSync(audio.path),
  format: 'wav',
  contentType: audio.contentType,
  durationSec: audio.durationSec,
  sampleRate: audio.sampleRate,
};
const fake = await startBenchKallglot(Number(latencyArg ?? 20));
const seeded =
  largeBytes > 0
    ? seedRecordings(fake, body, 1, 1, 'large')
    : seedRecordings(fake, body, Math.ceil(count / 10), 10);
const work = scratch('ab-small');
const sessionsFile = path.join(work, 'sessions.txt');
fs.writeFileSync(sessionsFile, seeded.sessionIds.join('\n') + '\n');
const urls = seeded.recordings.map((r) => fake.storage.sign(r.fileKey, 6 * 3600));
const urlFile = path.join(work, 'urls.txt');
fs.writeFileSync(urlFile, urls.join('\n') + '\n');

const times: Record<string, number[]> = { A: [], B: [], bare: [], aria2c: [] };
/** CPU seconds (user + sys) of each contender: steadier than wall time on a loaded machine. */
const cpu: Record<string, number[]> = { A: [], B: [], bare: [], aria2c: [] };
let lastCpu = 0;
/** Runs a command under sh's `times`, which prints the children's user and sys time. */
function withTimes(command: string, args: string[]): [string, string[]] {
  return ['sh', ['-c', '"$@"; s=$?; times >&2; exit $s', 'sh', command, ...args]];
}
function cpuOf(stderr: string): number {
  const lines = stderr.trim().split('\n');
  const [user, sys] = lines
    .at(-1)!
    .split(/\s+/)
    .map((t) => {
      const m = /^(\d+)m([\d.]+)s$/.exec(t);
      return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
    });
  return user! + sys!;
}
const env = { ...process.env, BENCH_KALLGLOT_KEY, BENCH_UNLIMITED_RATE: '1' };
const flags = (process.env.BENCH_CHILD_FLAGS ?? '').split(/\s+/).filter(Boolean);
async function sync(tree: string): Promise<number> {
  const dataDir = scratch('ab-small/data');
  await runChild('sync', []);
  const script = path.join(tree, 'bench/lib/sync-child.ts');
  const run = expectOk(
    await runChild(
      ...withTimes(process.execPath, [
        ...flags,
        script,
        dataDir,
        fake.baseUrl,
        sessionsFile,
        String(concurrency),
      ]),
      { env, timeoutMs: 600_000 },
    ),
    tree,
  );
  lastCpu = cpuOf(run.stderr);
  // PROBE_DUMP=file keeps the children's output (e.g. with BENCH_CHILD_FLAGS=--trace-gc).
  if (process.env.PROBE_DUMP)
    fs.appendFileSync(process.env.PROBE_DUMP, `== ${tree}\n${run.stdout}`);
  const out = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
    totals: { archived: number };
  };
  if (out.totals.archived !== seeded.recordings.length) throw new Error(run.stdout);
  removeScratch(dataDir);
  return run.ms;
}
async function other(name: 'bare' | 'aria2c'): Promise<number> {
  const dir = scratch('ab-small/peer');
  await runChild('sync', []);
  const run =
    name === 'bare'
      ? await runChild(
          ...withTimes(process.execPath, [
            path.join(BENCH_DIR, 'probes/bare-fetch.ts'),
            urlFile,
            dir,
            String(concurrency),
          ]),
        )
      : largeBytes > 0
        ? await runChild(
            ...withTimes('sh', [
              '-c',
              `curl -sSf -o "${dir}/large" "${urls[0]}" && sync "${dir}/large"`,
            ]),
          )
        : await runChild(
            ...withTimes('aria2c', ['-j', String(concurrency), '-i', urlFile, '-d', dir, '-q']),
          );
  expectOk(run, name);
  lastCpu = cpuOf(run.stderr);
  removeScratch(dir);
  return run.ms;
}
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
  for (const who of order) {
    times[who]!.push(await sync(who === 'A' ? baseline : BENCH_DIR + '/..'));
    cpu[who]!.push(lastCpu);
  }
  for (const who of ['bare', 'aria2c'] as const) {
    times[who]!.push(await other(who));
    cpu[who]!.push(lastCpu);
  }
  process.stderr.write(
    `round ${round + 1}: ${Object.entries(times)
      .map(([k, v]) => `${k} ${v.at(-1)!.toFixed(0)} ms (cpu ${cpu[k]!.at(-1)!.toFixed(2)} s)`)
      .join(', ')} (load ${os.loadavg()[0]!.toFixed(2)})\n`,
  );
}
await fake.close();
removeScratch(work);
const med = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
const medCpu = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, median(v)]));
process.stdout.write(
  `${count} × 3 MB, N=${concurrency}, ${rounds} rounds, medians (ms): ${JSON.stringify(med)}; ` +
    `B/A ${(med.A! / med.B!).toFixed(2)}×, aria2c/B ${(med.aria2c! / med.B!).toFixed(2)}×, ` +
    `bare/B ${(med.bare! / med.B!).toFixed(2)}×; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n` +
    `cpu medians (s): ${JSON.stringify(medCpu)}\nall: ${JSON.stringify(times)}\ncpu: ${JSON.stringify(cpu)}\n`,
);
