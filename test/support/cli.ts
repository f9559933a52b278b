// The built `recvault` CLI run as a child process on a data directory (see engine.ts for the
// data directories and fakes, data-dir.ts for reading what it left).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { delay } from './async.ts';
import { builtFile, outDir, repoRoot } from './built.ts';

export const RECVAULT_BIN = path.join(repoRoot, 'bin', 'recvault.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment the CLI gets: nothing of this process's except PATH, plus `extra`. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: os.tmpdir(),
    ...extra,
  };
}

/** Starts `recvault <args> --data-dir <dataDir>` without waiting for it. */
export function spawnCli(
  dataDir: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [RECVAULT_BIN, ...args, '--data-dir', dataDir], {
    env: cliEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, result };
}

/**
 * Waits while `npm run build` (maybe run by someone else in this checkout) rewrites out/, then
 * fails with builtFile's message if the CLI is still not there.
 */
export async function cliBuilt(): Promise<void> {
  const cli = path.join(outDir, 'main', 'cli.js');
  for (let i = 0; i < 100 && !fs.existsSync(cli); i++) await delay(100);
  builtFile('main/cli.js');
}

/** Runs the CLI to its end. Async on purpose: the fakes answer from this same process. */
export async function runCli(
  dataDir: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  await cliBuilt();
  return spawnCli(dataDir, args, env).result;
}

/** Runs the CLI and fails with its output when the exit code is not `expected`. */
export async function runCliOk(
  dataDir: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  expected = 0,
): Promise<CliResult> {
  const result = await runCli(dataDir, args, env);
  if (result.code !== expected) {
    throw new Error(
      `recvault ${args.join(' ')} exited ${result.code} (wanted ${expected})\n` +
        `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
  return result;
}

/**
 * `recvault account add kallglot` for a fake, its key read from `KG_KEY`; returns the
 * environment the CLI needs for that account.
 */
export async function addKallglotAccount(
  dataDir: string,
  fake: { baseUrl: string; apiKey: string },
  name = 'KG',
): Promise<NodeJS.ProcessEnv> {
  const env = { KG_KEY: fake.apiKey };
  await runCliOk(
    dataDir,
    [
      'account',
      'add',
      'kallglot',
      '--name',
      name,
      '--base-url',
      fake.baseUrl,
      '--api-key-env',
      'KG_KEY',
    ],
    env,
  );
  return env;
}
