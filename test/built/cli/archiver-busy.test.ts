// `recvault sync` while another process holds the archive: it names the holder and exits 3
// (busy), or with --wait waits for it and then archives.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { delay } from '../../support/async.ts';
import { recordings } from '../../support/data-dir.ts';
import { newDataDir, startWorld, type World } from '../../support/engine.ts';
import { runCli, runCliOk, spawnCli } from '../../support/cli.ts';
import { repoRoot } from '../../support/built.ts';
import { tempDir } from '../../support/tmp.ts';

const LOCK_CHILD = path.join(repoRoot, 'test', 'support', 'lock-child.ts');

let world: World;
let dataDir: string;
let holder: ChildProcess | null = null;
beforeEach(async () => {
  world = await startWorld();
  dataDir = newDataDir();
});
afterEach(async () => {
  holder?.kill('SIGKILL');
  holder = null;
  await world.close();
});

/** Another process (standing in for the app) holding the archiver lock of `dataDir`. */
async function holdLock(): Promise<ChildProcess> {
  const signal = path.join(tempDir(), 'go');
  fs.writeFileSync(signal, '');
  const child = spawn(process.execPath, [LOCK_CHILD, dataDir, signal, '600000'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let said = '';
  await new Promise<void>((resolve) =>
    child.stdout!.on('data', (d: Buffer) => {
      said += d.toString();
      if (said.includes('"held":true')) resolve();
    }),
  );
  return child;
}

async function setUp(): Promise<{ env: NodeJS.ProcessEnv; sync: string[] }> {
  await world.kallglot.addSession({ id: 'sess_busy', recordings: [{ channel: 'agent' }] });
  const env = { KG_KEY: world.kallglot.apiKey };
  const add = ['account', 'add', 'kallglot', '--name', 'Main', '--base-url'];
  await runCliOk(dataDir, [...add, world.kallglot.baseUrl, '--api-key-env', 'KG_KEY'], env);
  return { env, sync: ['sync', '--account', 'Main', '--session', 'sess_busy'] };
}

describe('recvault sync beside another archiving process', () => {
  it('names the process holding the archive and exits 3', async () => {
    const { env, sync } = await setUp();
    holder = await holdLock();
    const result = await runCli(dataDir, sync, env);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain(`pid ${holder.pid}`);
    expect(result.stderr).toContain('--wait');
    expect(recordings(dataDir).filter((r) => r.state === 'archived')).toEqual([]);
  });

  it('with --wait, waits until the holder is gone and then archives', async () => {
    const { env, sync } = await setUp();
    holder = await holdLock();
    const waiting = spawnCli(dataDir, [...sync, '--wait'], env);
    let exited = false;
    void waiting.result.then(() => (exited = true));
    await delay(2000);
    expect(exited).toBe(false);
    holder.kill('SIGKILL');
    const result = await waiting.result;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Waiting:`);
    expect(recordings(dataDir).filter((r) => r.state === 'archived').length).toBe(1);
  }, 60_000);
});
