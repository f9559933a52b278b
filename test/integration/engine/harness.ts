// Shared pieces of the archive-engine integration tests: the three provider fakes on one
// storage host (in this process), the built `recvault` CLI run as a child process, and
// read-only looks at what it left in the data directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startFakeEnvoy, type FakeEnvoy } from '../../fakes/envoy.ts';
import { startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import type { StartFakeKallglotOptions } from '../../fakes/kallglot.ts';
import { startFakeKoreai, type FakeKoreai } from '../../fakes/koreai.ts';
import type { StartFakeKoreaiOptions } from '../../fakes/koreai.ts';
import { createFakeStorage, type FakeStorage } from '../../fakes/storage.ts';
import { builtFile, outDir, repoRoot } from '../../helpers/built.ts';
import { tempDir } from '../../helpers/tmp.ts';

export const RECVAULT_BIN = path.join(repoRoot, 'bin', 'recvault.js');

export interface World {
  storage: FakeStorage;
  kallglot: FakeKallglot;
  koreai: FakeKoreai;
  envoy: FakeEnvoy;
  close(): Promise<void>;
}

/** The three fakes on one storage host, empty unless the test seeds them. */
export async function startWorld(
  options: {
    kallglot?: Omit<StartFakeKallglotOptions, 'storage'>;
    koreai?: Omit<StartFakeKoreaiOptions, 'storage'>;
  } = {},
): Promise<World> {
  const storage = await createFakeStorage();
  const kallglot = await startFakeKallglot({ ...options.kallglot, storage });
  const koreai = await startFakeKoreai({ seedDefaults: false, ...options.koreai, storage });
  const envoy = await startFakeEnvoy({ storage, seedDefaults: false });
  return {
    storage,
    kallglot,
    koreai,
    envoy,
    async close() {
      await Promise.allSettled([kallglot.close(), koreai.close(), envoy.close()]);
      await storage.close();
    },
  };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A fresh data directory (removed after the test) and a CLI bound to it. */
export function newDataDir(): string {
  return path.join(tempDir('recvault-engine-'), 'data');
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

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256File(file: string): string {
  return sha256Hex(fs.readFileSync(file));
}

export interface RecordingRow {
  id: number;
  account_id: number;
  provider: string;
  remote_id: string;
  session_id: string | null;
  call_id: string | null;
  user_id: string | null;
  channel: string;
  format: string | null;
  content_type: string | null;
  size: number | null;
  duration_sec: number | null;
  recorded_at: string | null;
  expires_at: string | null;
  phone_numbers: string;
  provider_file_name: string | null;
  local_path: string | null;
  local_size: number | null;
  sha256: string | null;
  archived_at: string | null;
  state: string;
  last_error: string | null;
  raw_json: string;
}

/** Reads from the CLI's index (read-only, closed again at once). */
export function queryIndex<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(dataDir, 'index.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export function recordings(dataDir: string): RecordingRow[] {
  return queryIndex<RecordingRow>(dataDir, 'SELECT * FROM recordings ORDER BY remote_id');
}

export function archiveDir(dataDir: string): string {
  return path.join(dataDir, 'archive');
}

/** Every file under `dir`, relative, `/`-separated. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** Archived media files (not sidecars, not partials). */
export function mediaFiles(dataDir: string): string[] {
  return filesUnder(archiveDir(dataDir)).filter(
    (f) => !f.endsWith('.json') && !f.endsWith('.part'),
  );
}

export function partials(dataDir: string): string[] {
  return filesUnder(archiveDir(dataDir)).filter(
    (f) => f.endsWith('.part') || f.endsWith('.part.json'),
  );
}

/**
 * Proves every archived row's file is on disk with the indexed size and SHA-256, its sidecar
 * names the same bytes, and the SHA-256 is `expected(row)` (the fake's own file).
 */
export function expectArchivedRowsMatch(
  dataDir: string,
  rows: RecordingRow[],
  expected: (row: RecordingRow) => string | undefined,
): void {
  for (const row of rows) {
    if (row.state !== 'archived') throw new Error(`${row.remote_id} is ${row.state}`);
    const file = path.join(archiveDir(dataDir), row.local_path!);
    const data = fs.readFileSync(file);
    const actual = sha256Hex(data);
    const want = expected(row);
    if (!want) throw new Error(`no fake file for ${row.remote_id}`);
    if (actual !== want || row.sha256 !== want || row.local_size !== data.length) {
      throw new Error(
        `${row.remote_id}: file ${actual} (${data.length} B), index ${row.sha256} (${row.local_size} B), fake ${want}`,
      );
    }
    const sidecar = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as {
      file: { sha256: string; size: number; relativePath: string };
      recording: { remoteId: string };
    };
    if (
      sidecar.file.sha256 !== want ||
      sidecar.file.size !== data.length ||
      sidecar.file.relativePath !== row.local_path ||
      sidecar.recording.remoteId !== row.remote_id
    ) {
      throw new Error(`${row.remote_id}: sidecar disagrees: ${JSON.stringify(sidecar.file)}`);
    }
  }
}

/** Storage GETs that carried bytes (the number a re-sync must not raise). */
export function storageDownloads(storage: FakeStorage): number {
  return storage.requests.filter((r) => r.method === 'GET').length;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
