// The app and the CLI on one data directory, as two real processes: a `recvault sync` archives
// while the app edits notes and tags, verifies and exports. Neither sees an error (no
// SQLITE_BUSY, no "entries were deleted") and no write is lost.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryIndex, recordings } from '../../support/data-dir.ts';
import { newDataDir, startWorld, type World } from '../../support/engine.ts';
import { runCliOk, spawnCli } from '../../support/cli.ts';
import { tempDir } from '../../support/tmp.ts';

const APP = path.join(import.meta.dirname, 'app-beside-cli-child.ts');

let world: World;
let dataDir: string;
beforeEach(async () => {
  world = await startWorld();
  dataDir = newDataDir();
});
afterEach(async () => {
  await world.close();
});

interface AppRun {
  errors: string[];
  rounds: number;
  last: Record<string, { notes: string; tags: string[] }>;
}

function startApp(ids: number[], exportRoot: string, stopFile: string): Promise<AppRun> {
  const child = spawn(
    process.execPath,
    ['--experimental-transform-types', APP, dataDir, exportRoot, stopFile, ids.join(',')],
    { env: { PATH: process.env.PATH, HOME: tempDir() }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve, reject) =>
    child.once('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as AppRun)
        : reject(new Error(`app exited ${code}: ${err}`)),
    ),
  );
}

describe('the app and the CLI on one data directory', () => {
  it('a CLI sync runs while the app edits, verifies and exports: no error, no lost write', async () => {
    const sessions = Array.from({ length: 9 }, (_, i) => `sess_two_${i}`);
    for (const id of sessions) {
      await world.kallglot.addSession({
        id,
        recordings: [{ channel: 'agent' }, { channel: 'customer' }, { channel: 'mixed' }],
      });
    }
    const env = { KG_KEY: world.kallglot.apiKey };
    const add = ['account', 'add', 'kallglot', '--name', 'Main', '--base-url'];
    await runCliOk(dataDir, [...add, world.kallglot.baseUrl, '--api-key-env', 'KG_KEY'], env);
    await runCliOk(dataDir, ['sync', '--account', 'Main', '--session', sessions[0]!], env);
    const ids = recordings(dataDir).map((r) => r.id);
    expect(ids.length).toBe(3);

    // The rest trickles in for several seconds, one index commit after another.
    world.storage.faults.inject(
      { type: 'slow_body', chunkBytes: 4096, delayMs: 40 },
      { times: Number.POSITIVE_INFINITY },
    );
    const stopFile = path.join(tempDir(), 'stop');
    const sync = ['sync', '--account', 'Main', '--concurrency', '6'];
    for (const id of sessions.slice(1)) sync.push('--session', id);
    const cli = spawnCli(dataDir, sync, env);
    const app = startApp(ids, tempDir(), stopFile);
    const cliResult = await cli.result;
    fs.writeFileSync(stopFile, '');
    const appRun = await app;

    // Progress goes to stderr; nothing there may be an error.
    expect(cliResult.stderr).not.toMatch(/SQLITE|locked|busy|error|fail/i);
    expect(cliResult.code, cliResult.stdout).toBe(0);
    expect(appRun.errors).toEqual([]);
    expect(appRun.rounds).toBeGreaterThanOrEqual(3);
    expect(recordings(dataDir).filter((r) => r.state === 'archived').length).toBe(27);
    for (const id of ids) {
      const [row] = queryIndex<{ notes: string }>(
        dataDir,
        'SELECT notes FROM recordings WHERE id = ?',
        id,
      );
      expect(row!.notes).toBe(appRun.last[id]!.notes);
    }
    await runCliOk(dataDir, ['audit', 'verify']);
    await runCliOk(dataDir, ['verify']);
  }, 120_000);
});
