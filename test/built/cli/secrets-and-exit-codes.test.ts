// Secrets never land in the data directory or the CLI's output (canary keys through full
// syncs), and the CLI's exit codes: 0 all done, 1 some failed (each listed), 2 bad usage or a
// refused key (named, never shown).
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { dualChannelSession } from '../../fakes/kallglot.ts';
import { delay } from '../../support/async.ts';
import { filesUnder, recordings } from '../../support/data-dir.ts';
import { newDataDir, startWorld, type World } from '../../support/engine.ts';
import { runCli, runCliOk, spawnCli, type CliResult } from '../../support/cli.ts';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** Every file under the data directory that holds one of `needles` (raw or base64). */
function filesHolding(dataDir: string, needles: string[]): string[] {
  const forms = needles.flatMap((n) => [
    Buffer.from(n),
    Buffer.from(Buffer.from(n).toString('base64')),
    Buffer.from(n, 'utf16le'),
  ]);
  return filesUnder(dataDir).filter((file) => {
    let data: Buffer;
    try {
      data = fs.readFileSync(path.join(dataDir, file));
    } catch (error) {
      // Scanned while a sync runs: SQLite's -shm/-wal and temp files may vanish meanwhile.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    return forms.some((form) => data.includes(form));
  });
}

describe('canary secrets', () => {
  it('appear in no file of the data directory (sqlite and WAL included) and no CLI output', async () => {
    const apiKey = `sk_live_CANARY_${randomBytes(12).toString('hex')}`;
    const clientSecret = `CANARY_koreai_secret_${randomBytes(12).toString('hex')}`;
    world = await startWorld({
      kallglot: { apiKey },
      koreai: { clientSecret, echoTokenInErrors: true },
    });
    for (const id of ['sess_c1', 'sess_c2'])
      await world.kallglot.addSession(dualChannelSession(id));
    const session = await world.koreai.addAudioSession({
      userId: 'u@example.com',
      startTime: new Date().toISOString(),
    });
    const dataDir = newDataDir();
    const env = { KG_KEY: apiKey, KA_SECRET: clientSecret };
    const outputs: CliResult[] = [];
    const run = async (args: string[], expected = 0) => {
      const result = await runCli(dataDir, args, env);
      outputs.push(result);
      expect(result.code, `${args.join(' ')}\n${result.stdout}${result.stderr}`).toBe(expected);
      return result;
    };
    const kg = ['--base-url', world.kallglot.baseUrl, '--api-key-env', 'KG_KEY'];
    await run(['account', 'add', 'kallglot', '--name', 'KG', ...kg]);
    const ka = ['--host', world.koreai.baseUrl, '--bot-id', world.koreai.botId];
    ka.push('--client-id', world.koreai.clientId, '--client-secret-env', 'KA_SECRET');
    await run(['account', 'add', 'koreai', '--name', 'KA', ...ka]);
    await run(['account', 'test', 'KG']);
    await run(['account', 'test', 'KA']);
    await run(['account', 'list']);
    await run(['account', 'list', '--json']);

    // Scan while a sync writes (so the WAL is there), as well as after.
    world.storage.faults.inject(
      { type: 'slow_body', chunkBytes: 16_384, delayMs: 10 },
      { times: Number.POSITIVE_INFINITY },
    );
    const { result } = spawnCli(
      dataDir,
      ['sync', '--account', 'KG', '--session', 'sess_c1', '--session', 'sess_c2'],
      env,
    );
    let running = true;
    let sawWal = false;
    const leaks = new Set<string>();
    void result.then(() => (running = false));
    while (running) {
      sawWal ||= fs.existsSync(path.join(dataDir, 'index.sqlite-wal'));
      for (const file of filesHolding(dataDir, [apiKey, clientSecret])) leaks.add(file);
      await delay(50);
    }
    const sync = await result;
    outputs.push(sync);
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    expect(sawWal).toBe(true);
    world.storage.faults.clear();
    await run([
      'sync',
      '--account',
      'KA',
      '--session',
      session.sessionId,
      '--user-id',
      'u@example.com',
    ]);
    await run(['sync', '--account', 'KG', '--session', 'sess_c1', '--json']);
    // Errors are where secrets like to leak: a refused token echoed back, an unknown session.
    await run(['sync', '--account', 'KA', '--session', 'nope', '--user-id', 'u@example.com'], 1);
    await run(['search', '--json']);
    await run(['verify']);
    await run(['audit', 'verify', '--json']);

    expect(recordings(dataDir).filter((r) => r.state === 'archived')).toHaveLength(7);
    for (const file of filesHolding(dataDir, [apiKey, clientSecret])) leaks.add(file);
    expect([...leaks]).toEqual([]);
    expect(filesUnder(dataDir)).toContain('index.sqlite');
    for (const output of outputs) {
      for (const secret of [apiKey, clientSecret, 'sk_live_CANARY', 'eyJ']) {
        expect(output.stdout).not.toContain(secret);
        expect(output.stderr).not.toContain(secret);
      }
    }
    // The account rows name the variables, never their values.
    const accounts = JSON.parse(outputs[5]!.stdout) as { secretEnv: string }[];
    expect(accounts.map((a) => a.secretEnv).sort()).toEqual(['KA_SECRET', 'KG_KEY']);
    // The scan does see what the index holds: the variable's name is there, its value is not.
    expect(filesHolding(dataDir, ['KA_SECRET'])).toContain('index.sqlite');
  });
});

describe('exit codes', () => {
  async function kallglotWorld(): Promise<{ dataDir: string; env: NodeJS.ProcessEnv }> {
    world = await startWorld();
    const dataDir = newDataDir();
    const env = { KG_KEY: world.kallglot.apiKey };
    const kg = ['--base-url', world.kallglot.baseUrl, '--api-key-env', 'KG_KEY'];
    await runCliOk(dataDir, ['account', 'add', 'kallglot', '--name', 'KG', ...kg], env);
    return { dataDir, env };
  }

  it('0 when everything is archived', async () => {
    const { dataDir, env } = await kallglotWorld();
    await world!.kallglot.addSession(dualChannelSession('sess_ok'));
    const result = await runCli(dataDir, ['sync', '--account', 'KG', '--session', 'sess_ok'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/done\. 3 archived/);
  });

  it('1 when some fail, each listed with its reason', async () => {
    const { dataDir, env } = await kallglotWorld();
    const [, failed, expired] = await world!.kallglot.addSession({
      id: 'sess_mix',
      recordings: [
        { channel: 'mixed' },
        { channel: 'agent', status: 'failed' },
        { channel: 'customer' },
      ],
    });
    world!.kallglot.update(expired!.id, { expiresAt: new Date(Date.now() - 1000).toISOString() });
    const result = await runCli(dataDir, ['sync', '--account', 'KG', '--session', 'sess_mix'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /1 archived, .* 1 failed, 1 deleted by the provider, .*of 3 found/,
    );
    expect(result.stdout).toContain(
      `failed   ${failed!.id}: The provider failed to produce this recording (status failed).`,
    );
    expect(result.stdout).toContain(`gone     ${expired!.id}: Deleted by the provider's retention`);
    const rows = recordings(dataDir);
    expect(rows.find((r) => r.remote_id === failed!.id)).toMatchObject({
      state: 'failed',
      last_error: expect.stringMatching(/failed to produce/),
    });
    expect(rows.find((r) => r.remote_id === expired!.id)).toMatchObject({
      state: 'gone',
      last_error: expect.stringMatching(/retention/),
    });
  });

  it('2 for bad usage: unknown flag, missing --account, a key given inline', async () => {
    const { dataDir, env } = await kallglotWorld();
    const unknown = await runCli(dataDir, ['sync', '--account', 'KG', '--bogus'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--bogus'/);
    const missing = await runCli(dataDir, ['sync', '--session', 'sess_x'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--account is required/);
    const inlineKey = 'sk_live_inline_9f8e7d6c5b4a';
    const inline = await runCli(
      dataDir,
      ['account', 'add', 'kallglot', '--name', 'X', '--api-key', inlineKey],
      env,
    );
    expect(inline.code).toBe(2);
    expect(inline.stderr).toMatch(/never taken on the command line.*--api-key-env/);
    expect(inline.stdout + inline.stderr).not.toContain(inlineKey);
    const value = await runCli(
      dataDir,
      ['account', 'add', 'kallglot', '--name', 'X', '--api-key-env', inlineKey],
      env,
    );
    expect(value.code).toBe(2);
    expect(value.stderr).toMatch(/NAME of an environment variable/);
    expect(value.stdout + value.stderr).not.toContain(inlineKey);
    const unknownAccount = await runCli(
      dataDir,
      ['sync', '--account', 'Nope', '--session', 's'],
      env,
    );
    expect(unknownAccount.code).toBe(2);
    expect(await runCli(dataDir, ['frobnicate'], env)).toMatchObject({ code: 2 });
    expect(recordings(dataDir)).toEqual([]);
  });

  it('2 for a refused or missing key, naming the account and variable, never the value', async () => {
    const { dataDir } = await kallglotWorld();
    await world!.kallglot.addSession(dualChannelSession('sess_w'));
    const wrong = 'sk_test_wrong_4c0ffee5b4d';
    const refused = await runCli(dataDir, ['sync', '--account', 'KG', '--session', 'sess_w'], {
      KG_KEY: wrong,
    });
    expect(refused.code).toBe(2);
    const text = refused.stdout + refused.stderr;
    expect(text).toMatch(/rejected the API key/);
    expect(text).toContain(
      'The API key of account "KG" (read from the environment variable KG_KEY) was refused.',
    );
    expect(text).not.toContain(wrong);
    const test = await runCli(dataDir, ['account', 'test', 'KG'], { KG_KEY: wrong });
    expect(test.code).toBe(2);
    expect(test.stderr).toContain('KG_KEY');
    expect(test.stdout + test.stderr).not.toContain(wrong);

    const unset = await runCli(dataDir, ['sync', '--account', 'KG', '--session', 'sess_w'], {});
    expect(unset.code).toBe(2);
    expect(unset.stdout + unset.stderr).toMatch(/environment variable KG_KEY, which is not set/);
    expect(recordings(dataDir)).toEqual([]);
  });
});
