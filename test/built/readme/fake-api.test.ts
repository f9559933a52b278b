// "npm run fake-api … prints each fake's base URL and test credentials; add accounts with them
// in the app or the CLI (--base-url / --host) and sync the listed sessions and calls": started
// as the README says, its printout read back, and the built CLI pointed at what it printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, runCliOk } from '../../support/cli.ts';
import { repoRoot } from '../../support/built.ts';
import { newDataDir } from '../../support/engine.ts';

let fakeApi: ChildProcess | null = null;

afterEach(async () => {
  const child = fakeApi;
  fakeApi = null;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Its own process group: npm, the shell it runs and the fakes' node all stop.
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
});

/** Waits for the printout to end with the Envoy calls line; rejects if the process exits. */
function printout(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no printout in time:\n${out}${err}`)), 30_000);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (/\nEnvoy\n[\s\S]*\n\s+calls\s+\S.*\n/.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run fake-api exited ${code}:\n${out}${err}`));
    });
  });
}

/** `Heading` lines, each followed by `  field   value` lines. */
function sections(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | null = null;
  for (const line of text.split('\n')) {
    const field = /^\s+(\S+)\s+(.+)$/.exec(line);
    if (field && current) current[field[1]!] = field[2]!.trim();
    else if (/^\S/.test(line)) out[line.trim()] = current = {};
  }
  return out;
}

describe('npm run fake-api', () => {
  it('starts the three fakes, prints their URLs and credentials, and they work with the CLI', async () => {
    fakeApi = spawn('npm', ['run', 'fake-api'], {
      cwd: repoRoot,
      env: process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const printed = sections(await printout(fakeApi));
    const kallglot = printed['Kallglot']!;
    const koreai = printed['Kore.ai SmartAssist']!;
    const envoy = printed['Envoy']!;
    const loopback = /^http:\/\/127\.0\.0\.1:\d+(\/\S*)?$/;
    expect(kallglot.baseUrl).toMatch(loopback);
    expect(koreai.host).toMatch(loopback);
    expect(envoy.baseUrl).toMatch(loopback);
    for (const value of [kallglot.apiKey, koreai.botId, koreai.clientId, koreai.clientSecret]) {
      expect(value).toBeTruthy();
    }
    expect(envoy.apiKey).toBeTruthy();

    const dataDir = newDataDir();
    const env = { KG: kallglot.apiKey!, KA: koreai.clientSecret!, EV: envoy.apiKey! };
    const add = ['account', 'add'];
    await runCliOk(
      dataDir,
      [...add, 'kallglot', '--name', 'KG', '--base-url', kallglot.baseUrl!, '--api-key-env', 'KG'],
      env,
    );
    await runCliOk(
      dataDir,
      [...add, 'koreai', '--name', 'KA', '--host', koreai.host!, '--bot-id', koreai.botId!].concat([
        '--client-id',
        koreai.clientId!,
        '--client-secret-env',
        'KA',
      ]),
      env,
    );
    await runCliOk(
      dataDir,
      [...add, 'envoy', '--name', 'EV', '--base-url', envoy.baseUrl!, '--api-key-env', 'EV'].concat(
        envoy.organization ? ['--organization-id', envoy.organization] : [],
      ),
      env,
    );
    for (const name of ['KG', 'KA', 'EV']) await runCliOk(dataDir, ['account', 'test', name], env);

    // The first listed session or call of each (the demo's ready ones come first).
    const session = kallglot.sessions!.split(', ')[0]!;
    const [, koreaiSession, user] = /^(\S+) \(user (\S+)\)/.exec(koreai.sessions!)!;
    const call = envoy.calls!.split(', ')[0]!;
    for (const sync of [
      ['--account', 'KG', '--session', session],
      ['--account', 'KA', '--session', koreaiSession!, '--user-id', user!],
      ['--account', 'EV', '--call', call],
    ]) {
      const result = await runCli(dataDir, ['sync', ...sync, '--max-wait', '0'], env);
      expect(result.code, `recvault sync ${sync.join(' ')}\n${result.stdout}${result.stderr}`).toBe(
        0,
      );
      expect(result.stdout).toMatch(/[1-9]\d* archived/);
    }
  });
});
