// `recvault sync` killed with SIGKILL at random points while bodies trickle in, then run again:
// every file ends up byte-exact, no `.part` is ever counted as archived, and `verify` and
// `audit verify` pass.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { FakeKallglotSessionSeed } from '../../fakes/kallglot.ts';
import {
  archiveDir,
  delay,
  expectArchivedRowsMatch,
  mediaFiles,
  newDataDir,
  partials,
  queryIndex,
  recordings,
  runCli,
  runCliOk,
  spawnCli,
  startWorld,
  type World,
} from './harness.ts';

let world: World;
let dataDir: string;

beforeEach(async () => {
  world = await startWorld();
  dataDir = newDataDir();
});
afterEach(async () => {
  await world.close();
});

function session(id: string): FakeKallglotSessionSeed {
  return {
    id,
    recordings: [
      { channel: 'mixed', audio: { channel: 'mixed', format: 'wav', durationSec: 6 } },
      { channel: 'agent', audio: { channel: 'agent', format: 'wav', durationSec: 8 } },
      { channel: 'customer' },
    ],
  };
}

/** Rows the index says are archived must have their complete file; never a `.part`. */
function expectNoArchivedRowWithoutItsFile(): void {
  for (const row of recordings(dataDir).filter((r) => r.state === 'archived')) {
    const file = path.join(archiveDir(dataDir), row.local_path!);
    expect(row.local_path).not.toMatch(/\.part$/);
    expect(fs.statSync(file).size).toBe(row.local_size);
  }
}

it('survives SIGKILL at random points mid-download and finishes with every file correct', async () => {
  for (const id of ['sess_kill_1', 'sess_kill_2', 'sess_kill_3']) {
    await world.kallglot.addSession(session(id));
  }
  // Bodies trickle: about 400 kB/s per download, so a kill lands mid-body.
  world.storage.faults.inject(
    { type: 'slow_body', chunkBytes: 8192, delayMs: 20 },
    { times: Number.POSITIVE_INFINITY },
  );
  const env = { KG_KEY: world.kallglot.apiKey };
  await runCliOk(
    dataDir,
    [
      'account',
      'add',
      'kallglot',
      '--name',
      'KG',
      '--base-url',
      world.kallglot.baseUrl,
      '--api-key-env',
      'KG_KEY',
    ],
    env,
  );
  const sync = ['sync', '--account', 'KG', '--session', 'sess_kill_1', '--session', 'sess_kill_2'];
  sync.push('--session', 'sess_kill_3');

  const kills: { afterMs: number; partials: number; archived: number }[] = [];
  const killAfter = async (waitFor: () => Promise<void>, afterMs: number) => {
    const { child, result } = spawnCli(dataDir, sync, env);
    await waitFor();
    child.kill('SIGKILL');
    const end = await result;
    if (end.signal !== 'SIGKILL') return; // it finished before the kill
    kills.push({
      afterMs,
      partials: partials(dataDir).filter((f) => f.endsWith('.part')).length,
      archived: fs.existsSync(path.join(dataDir, 'index.sqlite'))
        ? recordings(dataDir).filter((r) => r.state === 'archived').length
        : 0,
    });
    expectNoArchivedRowWithoutItsFile();
  };
  for (let i = 0; i < 3; i++) {
    const ms = 100 + Math.floor(Math.random() * 1400);
    await killAfter(() => delay(ms), ms);
  }
  // Make sure at least one kill hit a body in flight, whatever the random delays were.
  if (!kills.some((k) => k.partials > 0)) {
    await killAfter(async () => {
      const until = Date.now() + 10_000;
      while (!partials(dataDir).some((f) => f.endsWith('.part')) && Date.now() < until) {
        await delay(10);
      }
    }, -1);
  }
  expect(kills.some((k) => k.partials > 0)).toBe(true);

  const final = await runCli(dataDir, sync, env);
  expect(final.code, final.stdout + final.stderr).toBe(0);
  // Jobs the kills interrupted resume cleanly too.
  const resumed = await runCli(dataDir, ['sync', '--account', 'KG', '--resume'], env);
  expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);

  const rows = recordings(dataDir);
  expect(rows).toHaveLength(9);
  expectArchivedRowsMatch(dataDir, rows, (r) => world.kallglot.recordings.get(r.remote_id)?.sha256);
  expect(mediaFiles(dataDir)).toHaveLength(9);
  expect(partials(dataDir)).toEqual([]);
  const archivedEntries = queryIndex<{ subject: string }>(
    dataDir,
    `SELECT subject FROM audit_log WHERE action = 'recording.archived'`,
  );
  expect(new Set(archivedEntries.map((e) => e.subject)).size).toBe(9);

  const verify = await runCli(dataDir, ['verify'], env);
  expect(verify.code, verify.stdout).toBe(0);
  const audit = await runCli(dataDir, ['audit', 'verify'], env);
  expect(audit.code, audit.stdout).toBe(0);
  console.log(`[sigkill] kills: ${JSON.stringify(kills)}`);
}, 90_000);
