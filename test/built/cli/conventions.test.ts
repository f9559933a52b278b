// CLI conventions (issue 14), through the built CLI: global options before the command,
// --quiet for cron (only errors), and the exit codes in --help (3 for busy).
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiverLock } from '../../../main/core/sync/archiver-lock.ts';
import {
  addKallglotAccount,
  cliBuilt,
  cliEnv,
  RECVAULT_BIN,
  runCli,
  runCliOk,
} from '../../support/cli.ts';
import type { CliResult } from '../../support/cli.ts';
import { recordings } from '../../support/data-dir.ts';
import { newDataDir, startWorld, type World } from '../../support/engine.ts';
import { dualChannelSession } from '../../fakes/kallglot.ts';

let world: World;
let dataDir: string;
beforeEach(async () => {
  world = await startWorld();
  dataDir = newDataDir();
});
afterEach(async () => {
  await world.close();
});

/** The CLI with exactly these arguments (no --data-dir added after them). */
async function recvault(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  await cliBuilt();
  const child = spawn(process.execPath, [RECVAULT_BIN, ...args], {
    env: cliEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('global options', () => {
  it('are accepted before the command as well as after it', async () => {
    await world.kallglot.addSession(dualChannelSession('sess_g1'));
    const env = await addKallglotAccount(dataDir, world.kallglot, 'KG');
    const before = await recvault(['--data-dir', dataDir, 'account', 'list', '--json'], env);
    expect(before.code, before.stderr).toBe(0);
    expect((JSON.parse(before.stdout) as { name: string }[]).map((a) => a.name)).toEqual(['KG']);
    const json = await recvault(['--json', `--data-dir=${dataDir}`, 'account', 'list'], env);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toHaveLength(1);
    const sync = await recvault(
      ['--data-dir', dataDir, '--quiet', 'sync', '--account', 'KG', '--session', 'sess_g1'],
      env,
    );
    expect(sync.code, sync.stderr).toBe(0);
    expect(recordings(dataDir).map((r) => r.state)).toEqual(['archived', 'archived', 'archived']);
  });

  it('--help documents them and the exit codes 0, 1, 2 and 3', async () => {
    const help = await recvault(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Global options \(before or after the command\)/);
    expect(help.stdout).toMatch(/--quiet, -q\s+print only errors/);
    for (const code of ['0  done', '1  some items failed', '2  bad usage', '3  busy']) {
      expect(help.stdout).toContain(code);
    }
  });
});

describe('--quiet', () => {
  it('prints nothing when all is well, and only the failures when not', async () => {
    await world.kallglot.addSession(dualChannelSession('sess_q1'));
    const env = await addKallglotAccount(dataDir, world.kallglot, 'KG');
    const fine = await runCli(
      dataDir,
      ['sync', '--account', 'KG', '--session', 'sess_q1', '--quiet'],
      env,
    );
    expect(fine).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const loud = await runCli(dataDir, ['sync', '--account', 'KG', '--session', 'sess_q1'], env);
    expect(loud.stdout).toMatch(/already archived/);

    const missing = await runCli(
      dataDir,
      ['sync', '--account', 'KG', '--session', 'sess_nope', '-q'],
      env,
    );
    expect(missing.code).not.toBe(0);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/sess_nope|not found|No /i);
  });
});

describe('busy', () => {
  it('a sync while another run holds the archive exits 3', async () => {
    const env = await addKallglotAccount(dataDir, world.kallglot, 'KG');
    await world.kallglot.addSession(dualChannelSession('sess_b1'));
    const lock = new ArchiverLock(dataDir);
    expect(lock.tryAcquire()).toBeNull();
    try {
      const busy = await runCli(dataDir, ['sync', '--account', 'KG', '--session', 'sess_b1'], env);
      expect(busy.code, busy.stderr).toBe(3);
    } finally {
      lock.release();
    }
    await runCliOk(dataDir, ['sync', '--account', 'KG', '--session', 'sess_b1'], env);
  });
});
