// `recvault sync` killed with SIGKILL at random points while bodies trickle in, then run again:
// every file ends up byte-exact, no `.part` is ever counted as archived, and `verify` and
// `audit verify` pass.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fakeAudio } from '../../fakes/audio.ts';
import type { FakeKallglotSessionSeed } from '../../fakes/kallglot.ts';
import {
  archiveDir,
  expectArchivedRowsMatch,
  mediaFiles,
  partials,
  queryIndex,
  recordings,
  type RecordingRow,
} from '../../support/data-dir.ts';
import { delay } from '../../support/async.ts';
import { newDataDir, startWorld, type World } from '../../support/engine.ts';
import { runCli, runCliOk, spawnCli } from '../../support/cli.ts';

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

interface KillCase {
  /** Seeds the fake, adds the account; returns the sync arguments and each row's true SHA-256. */
  setup(): Promise<{ sync: string[]; env: NodeJS.ProcessEnv; files: number }>;
  expected(row: RecordingRow): string | undefined;
}

const CASES: Record<'Kallglot' | 'Kore.ai' | 'Envoy', KillCase> = {
  Kallglot: {
    async setup() {
      for (const id of ['sess_kill_1', 'sess_kill_2', 'sess_kill_3']) {
        await world.kallglot.addSession(session(id));
      }
      const env = { KG_KEY: world.kallglot.apiKey };
      const add = ['account', 'add', 'kallglot', '--name', 'ACC', '--base-url'];
      await runCliOk(dataDir, [...add, world.kallglot.baseUrl, '--api-key-env', 'KG_KEY'], env);
      const sync = ['sync', '--account', 'ACC'];
      for (const id of ['sess_kill_1', 'sess_kill_2', 'sess_kill_3']) sync.push('--session', id);
      return { sync, env, files: 9 };
    },
    expected: (row) => world.kallglot.recordings.get(row.remote_id)?.sha256,
  },
  'Kore.ai': {
    async setup() {
      const sync = ['sync', '--account', 'ACC'];
      for (let i = 0; i < 5; i++) {
        const audio = await fakeAudio({ channel: 'mixed', format: 'wav', durationSec: 6 + i });
        const s = world.koreai.addSession({
          userId: `user${i}@example.com`,
          startTime: new Date(Date.now() - (i + 1) * 3600_000).toISOString(),
          files: [
            {
              fileName: `kill${i}-merged.wav`,
              data: fs.readFileSync(audio.path),
              contentType: 'audio/wav',
              ext: 'wav',
            },
          ],
        });
        sync.push('--session', s.sessionId, '--user-id', s.userId);
      }
      const env = { KA_SECRET: world.koreai.clientSecret };
      const add = ['account', 'add', 'koreai', '--name', 'ACC', '--host', world.koreai.baseUrl];
      add.push('--bot-id', world.koreai.botId, '--client-id', world.koreai.clientId);
      await runCliOk(dataDir, [...add, '--client-secret-env', 'KA_SECRET'], env);
      return { sync, env, files: 5 };
    },
    expected: (row) => world.koreai.sessions.get(row.session_id!)?.files[0]?.stored.sha256,
  },
  Envoy: {
    async setup() {
      for (let i = 0; i < 5; i++) {
        const audio = await fakeAudio({ channel: 'mixed', format: 'wav', durationSec: 6 + i });
        world.envoy.addCall({
          callTime: `2026-03-0${i + 1}T09:00:00.000Z`,
          media: { data: fs.readFileSync(audio.path), contentType: 'audio/wav', ext: 'wav' },
        });
      }
      await world.envoy.addAudioCall({ callTime: '2026-03-07T09:00:00.000Z', format: 'mp4' });
      const env = { EV_KEY: world.envoy.apiKey };
      const add = ['account', 'add', 'envoy', '--name', 'ACC', '--base-url', world.envoy.baseUrl];
      await runCliOk(dataDir, [...add, '--api-key-env', 'EV_KEY'], env);
      const sync = ['sync', '--account', 'ACC', '--since', '2026-03-01', '--until', '2026-03-31'];
      return { sync, env, files: 6 };
    },
    expected: (row) => world.envoy.calls.get(row.call_id!)?.stored?.sha256,
  },
};

it.each(Object.keys(CASES) as (keyof typeof CASES)[])(
  '%s: survives SIGKILL at random points mid-download and finishes with every file correct',
  async (provider) => {
    const { sync, env, files } = await CASES[provider].setup();
    // Bodies trickle: about 400 kB/s per download, so a kill lands mid-body.
    world.storage.faults.inject(
      { type: 'slow_body', chunkBytes: 8192, delayMs: 20 },
      { times: Number.POSITIVE_INFINITY },
    );
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
    const resumed = await runCli(dataDir, ['sync', '--account', 'ACC', '--resume'], env);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);

    const rows = recordings(dataDir);
    expect(rows).toHaveLength(files);
    expectArchivedRowsMatch(dataDir, rows, CASES[provider].expected);
    expect(mediaFiles(dataDir)).toHaveLength(files);
    expect(partials(dataDir)).toEqual([]);
    const archivedEntries = queryIndex<{ subject: string }>(
      dataDir,
      `SELECT subject FROM audit_log WHERE action = 'recording.archived'`,
    );
    expect(new Set(archivedEntries.map((e) => e.subject)).size).toBe(files);

    const verify = await runCli(dataDir, ['verify'], env);
    expect(verify.code, verify.stdout).toBe(0);
    const audit = await runCli(dataDir, ['audit', 'verify'], env);
    expect(audit.code, audit.stdout).toBe(0);
    console.log(`[sigkill ${provider}] kills: ${JSON.stringify(kills)}`);
  },
  90_000,
);
