import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { inProcessApi } from '../../../main/core/api/in-process-client.ts';
import { listAudit } from '../../../main/core/audit/read-audit.ts';
import { COMMAND_LINE_CHANNELS } from '../../../main/core/contract/channels.ts';
import { openEngine, type Engine } from '../../../main/core/engine.ts';
import { CLI_ENGINE_OPTIONS } from '../../../main/cli/engine-options.ts';
import { newDataDir } from '../../support/engine.ts';

// The CLI's requests take the same way in as the app's: parsed by the contract's schemas,
// refused with the same values, audited and announced. Channels only the command line needs
// are refused to an engine opened for the app or the bridge.

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.close();
  engine = null;
});

const ACCOUNT = {
  provider: 'kallglot',
  name: 'Main',
  baseUrl: 'http://127.0.0.1:9',
  secretEnv: 'KALLGLOT_KEY',
} as const;

describe('one way in', () => {
  it('the app and the bridge are refused every command-line channel', async () => {
    engine = await openEngine({ dataDir: newDataDir(), env: { KALLGLOT_KEY: 'sk_live_x' } });
    const api = inProcessApi(engine.handlers, engine.events);
    // An environment-variable secret from the renderer would read the app's own environment.
    await expect(api.accountsAddWithEnvSecret(ACCOUNT)).resolves.toEqual({
      ok: false,
      code: 'unsupported',
      message: 'accountsAddWithEnvSecret is served to the command line only.',
    });
    await expect(api.accountsList({})).resolves.toEqual({ ok: true, value: [] });
    for (const channel of COMMAND_LINE_CHANNELS) {
      expect(() => engine!.handlers[channel]({} as never), channel).toThrow(
        /served to the command line only/,
      );
    }
  });

  it('the command line adds an account through the handler table: audited as the OS user, announced', async () => {
    engine = await openEngine({ dataDir: newDataDir(), env: {}, ...CLI_ENGINE_OPTIONS });
    const api = inProcessApi(engine.handlers, engine.events);
    let announced = 0;
    const stop = api.onAccountsChanged(() => announced++);
    const added = await api.accountsAddWithEnvSecret(ACCOUNT);
    stop();
    expect(added).toMatchObject({ ok: true, value: { name: 'Main', secretEnv: 'KALLGLOT_KEY' } });
    expect(announced).toBe(1);
    const [entry] = listAudit(engine.db, { action: 'account.added' });
    expect(entry).toMatchObject({
      actor: os.userInfo().username,
      details: { name: 'Main', provider: 'kallglot' },
    });
    await expect(api.accountByName({ name: 'Main' })).resolves.toMatchObject({
      ok: true,
      value: { provider: 'kallglot' },
    });
    await expect(api.accountByName({ name: 'Other' })).resolves.toEqual({
      ok: false,
      code: 'not_found',
      message: 'No account named "Other".',
    });
  });

  it('refuses what the contract refuses, naming the field but never the value', async () => {
    engine = await openEngine({ dataDir: newDataDir(), env: {}, ...CLI_ENGINE_OPTIONS });
    const api = inProcessApi(engine.handlers, engine.events);
    const result = await api.accountsAddWithEnvSecret({ ...ACCOUNT, secretEnv: 'sk_live_abc' });
    expect(result).toMatchObject({ ok: false, code: 'invalid_arguments' });
    if (result.ok) return;
    expect(result.message).toMatch(/NAME of an environment variable[\s\S]*secretEnv/);
    expect(result.message).not.toContain('sk_live_abc');
    await expect(api.accountsList({})).resolves.toEqual({ ok: true, value: [] });
  });
});
