// The README's `recvault` examples, run as written against the provider fakes (placeholders
// filled, `--base-url` added as the README says), one after the other on one data directory:
// every flag they show must be accepted, documented by --help, and honoured; what lands on disk
// must follow the README's layout; and every command must answer --json as well.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionFor, readableStem } from '../../../main/core/archive/layout.ts';
import { dualChannelSession } from '../../fakes/kallglot.ts';
import { cliBuilt, cliEnv, RECVAULT_BIN, type CliResult } from '../../support/cli.ts';
import { filesUnder, recordings, type RecordingRow } from '../../support/data-dir.ts';
import { startWorld, type World } from '../../support/engine.ts';
import { README, readmeArchiveLayout, readmeShellCommands } from '../../support/readme.ts';
import { tempDir } from '../../support/tmp.ts';

let world: World;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.close();
});

/** The README's commands that run `recvault`, without the leading word. */
const EXAMPLES = readmeShellCommands()
  .filter((command) => command[0] === 'recvault')
  .map((command) => command.slice(1));

/** What stands in the README for a real value, per flag, as the fakes know it. */
function fakeValue(flag: string | undefined): string | null {
  switch (flag) {
    case '--host':
      return world.koreai.baseUrl;
    case '--bot-id':
      return world.koreai.botId;
    case '--client-id':
      return world.koreai.clientId;
    case '--organization-id':
      return world.envoy.organizationId;
    default:
      return null;
  }
}

interface Filled {
  args: string[];
  /** The secrets the example names by environment variable. */
  env: Record<string, string>;
}

/** An example with its placeholders filled in for the fakes. */
function fill(example: string[]): Filled {
  const env: Record<string, string> = {};
  const args = example.map((word, i) => {
    const value = fakeValue(example[i - 1]);
    if (value !== null) return value;
    return word.replaceAll('…', 'EXAMPLE');
  });
  const provider = args[0] === 'account' && args[1] === 'add' ? args[2] : undefined;
  for (const [i, word] of args.entries()) {
    const variable = args[i + 1];
    if (variable === undefined) continue;
    if (word === '--api-key-env') {
      env[variable] = provider === 'envoy' ? world.envoy.apiKey : world.kallglot.apiKey;
    }
    if (word === '--client-secret-env') env[variable] = world.koreai.clientSecret;
  }
  // "add accounts with them … (`--base-url` / `--host`)": the fakes are not the real hosts.
  if (provider === 'kallglot') args.push('--base-url', world.kallglot.baseUrl);
  if (provider === 'envoy') args.push('--base-url', world.envoy.baseUrl);
  return { args, env };
}

function run(cwd: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawn(process.execPath, [RECVAULT_BIN, ...args], {
    cwd,
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

/** The flags an example uses (`--name`, `--session`, …). */
const flagsOf = (args: string[]) => args.filter((word) => word.startsWith('--'));

/** The command words before the first flag or value (`account add`, `audit verify`, `sync`). */
function commandOf(args: string[]): string[] {
  const words = [args[0]!];
  if ((args[0] === 'account' || args[0] === 'audit') && args[1] && !args[1].startsWith('-')) {
    words.push(args[1]);
  }
  return words;
}

describe('the README examples of the recvault command', () => {
  it('shows enough examples to be worth checking', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(10);
    const commands = new Set(EXAMPLES.map((args) => commandOf(args).join(' ')));
    for (const command of ['account add', 'sync', 'search', 'export', 'verify', 'reindex']) {
      expect(commands).toContain(command);
    }
  });

  it('documents every flag they use in the command’s --help', async () => {
    await cliBuilt();
    for (const example of EXAMPLES) {
      const command = commandOf(example);
      const help = await run(tempDir(), [...command, '--help'], {});
      expect(help.code, `${command.join(' ')} --help: ${help.stderr}`).toBe(0);
      for (const flag of flagsOf(example)) {
        expect(help.stdout, `recvault ${command.join(' ')} --help lists ${flag}`).toContain(flag);
      }
    }
  });

  it('run as written against the fakes: each accepted and honoured, files laid out as promised', async () => {
    await cliBuilt();
    const work = tempDir('recvault-readme-');
    const dataDir = path.join(work, 'data');
    // What the examples name: two Kallglot sessions, a Kore.ai session of agent@example.com,
    // and Envoy calls of November 2026, one completed (the only one --status COMPLETED keeps).
    await world.kallglot.addSession(dualChannelSession('sess_01HEXAMPLE'));
    await world.kallglot.addSession(dualChannelSession('sess_02HEXAMPLE'));
    await world.koreai.addAudioSession({
      sessionId: '6650EXAMPLE',
      userId: 'agent@example.com',
      startTime: new Date().toISOString(),
    });
    const completed = await world.envoy.addAudioCall({ callTime: '2026-11-10T15:00:00Z' });
    await world.envoy.addAudioCall({ callTime: '2026-11-12T09:00:00Z', status: 'NO_ANSWER' });
    await world.envoy.addAudioCall({ callTime: '2026-10-20T09:00:00Z' });
    fs.writeFileSync(path.join(work, 'sessions.csv'), 'session_id,agent\nsess_01HEXAMPLE,Ann\n');

    const env: Record<string, string> = { RECVAULT_DATA_DIR: dataDir };
    const ran: string[][] = [];
    for (const example of EXAMPLES) {
      const filled = fill(example);
      expect(filled.args.join(' ')).not.toContain('…');
      Object.assign(env, filled.env);
      const result = await run(work, filled.args, env);
      expect(
        result.code,
        `recvault ${filled.args.join(' ')}\n${result.stdout}${result.stderr}`,
      ).toBe(0);
      ran.push(filled.args);
    }

    // Honoured, not just accepted.
    const rows = recordings(dataDir);
    const byProvider = (p: string) => rows.filter((r) => r.provider === p);
    expect(
      byProvider('kallglot')
        .map((r) => r.session_id)
        .sort(),
    ).toEqual([...Array(3).fill('sess_01HEXAMPLE'), ...Array(3).fill('sess_02HEXAMPLE')]);
    expect(byProvider('koreai').map((r) => [r.session_id, r.user_id])).toEqual([
      ['6650EXAMPLE', 'agent@example.com'],
    ]);
    expect(byProvider('envoy').map((r) => r.call_id)).toEqual([completed.id]);
    expect(rows.every((r) => r.state === 'archived')).toBe(true);
    const accounts = await run(work, ['account', 'list', '--json'], env);
    expect(accounts.stdout).toMatch(/"requestsPerMinute":\s*300/);
    expect(fs.existsSync(path.join(work, 'legal-hold.zip'))).toBe(true);

    expectReadmeLayout(dataDir, rows, Object.values(env));

    // "every command takes --help and --json": the read-only ones again, as JSON.
    for (const args of ran) {
      if (args[0] === 'export' || (args[0] === 'account' && args[1] === 'add')) continue;
      const result = await run(work, [...args, '--json'], env);
      expect(result.code, `recvault ${args.join(' ')} --json: ${result.stderr}`).toBe(0);
      expect(() => JSON.parse(result.stdout), `recvault ${args.join(' ')} --json`).not.toThrow();
    }
  });
});

/** The data directory holds what "What lands on disk" says, and no secret anywhere. */
function expectReadmeLayout(dataDir: string, rows: RecordingRow[], secrets: string[]): void {
  const layout = readmeArchiveLayout();
  const expected = rows.flatMap((row) => {
    const iso = row.recorded_at ?? (row as { created_at?: string | null }).created_at ?? null;
    const when = iso === null ? null : new Date(iso);
    const date = when
      ? [
          String(when.getUTCFullYear()),
          String(when.getUTCMonth() + 1).padStart(2, '0'),
          String(when.getUTCDate()).padStart(2, '0'),
        ].join('/')
      : 'undated';
    if (!when) expect(README, 'the README names the undated folder').toContain('`undated`');
    const file = layout
      .replace('<provider>', row.provider)
      .replace('<account id>', String(row.account_id))
      .replace('<YYYY>/<MM>/<DD>', date)
      .replace('<recording id>', readableStem(row.remote_id))
      .replace('<ext>', extensionFor(row.format, row.content_type));
    expect(file, 'every placeholder of the README layout is known').not.toMatch(/[<>]/);
    expect(`archive/${row.local_path}`).toBe(file);
    return [file, `${file}.json`];
  });
  const onDisk = filesUnder(path.join(dataDir, 'archive')).map((f) => `archive/${f}`);
  expect(onDisk).toEqual(expected.sort());
  expect(fs.existsSync(path.join(dataDir, 'index.sqlite'))).toBe(true);
  // The CLI reads secrets from the environment: none stored, none in the index.
  expect(fs.existsSync(path.join(dataDir, 'secrets.json'))).toBe(false);
  const index = fs
    .readdirSync(dataDir)
    .filter((f) => f.startsWith('index.sqlite'))
    .map((f) => fs.readFileSync(path.join(dataDir, f)).toString('latin1'))
    .join('');
  for (const secret of secrets) {
    if (secret.length > 8 && !secret.startsWith('/')) expect(index).not.toContain(secret);
  }
}
