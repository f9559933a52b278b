// A stored key goes only where it was entered for: an edit that moves an account to another
// address needs the key again, and no key ever goes over plain http to another machine.
import path from 'node:path';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { updateAccount } from '../../../main/core/db/accounts.ts';
import type { AccountConfig, ProviderClient } from '../../../main/core/providers/types.ts';
import { localKeyCipher } from '../../../main/core/secrets/local-key-cipher.ts';
import { startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { startFakeKoreai, type FakeKoreai } from '../../fakes/koreai.ts';
import { createFakeStorage, type FakeStorage } from '../../fakes/storage.ts';
import { newDataDir, openTestEngine } from '../../support/engine.ts';
import { openAppEngine, request } from '../../support/handlers.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function appEngine(): Promise<Engine> {
  const dataDir = newDataDir();
  fs.mkdirSync(dataDir, { recursive: true });
  const engine = await openAppEngine(
    {},
    { dataDir, platform: { cipher: localKeyCipher(path.join(dataDir, 'secrets.key')) } },
  );
  closers.push(() => engine.close());
  return engine;
}

async function kallglot(apiKey?: string): Promise<FakeKallglot> {
  const fake = await startFakeKallglot({ sessions: [], ...(apiKey ? { apiKey } : {}) });
  closers.push(() => fake.close());
  return fake;
}

async function koreai(storage: FakeStorage): Promise<FakeKoreai> {
  const fake = await startFakeKoreai({ storage, seedDefaults: false });
  closers.push(() => fake.close());
  return fake;
}

describe("an account's key and its address", () => {
  it('an edit to another address keeps nothing of the old key: it needs the key again', async () => {
    const [home, elsewhere] = [await kallglot(), await kallglot('sk_test_recvault_elsewhere_02')];
    const engine = await appEngine();
    const account = await request(engine, 'accountsAdd', {
      provider: 'kallglot',
      name: 'Main',
      baseUrl: home.baseUrl,
      secret: home.apiKey,
    });
    await expect(
      request(engine, 'accountsUpdate', { id: account.id, baseUrl: elsewhere.baseUrl }),
    ).rejects.toMatchObject({
      code: 'invalid_arguments',
      message: expect.stringMatching(/needs its key/),
    });
    // Nothing changed, and the other host never heard of the key.
    const [listed] = await request(engine, 'accountsList', {});
    expect(listed!.baseUrl).toBe(home.baseUrl);
    expect((await request(engine, 'accountsTest', { id: account.id })).ok).toBe(true);
    expect(elsewhere.requests).toHaveLength(0);
    expect(JSON.stringify(home.requests.map((r) => r.headers))).toContain(home.apiKey);

    // With the key given again the move is allowed, and the new key goes to the new address.
    await request(engine, 'accountsUpdate', {
      id: account.id,
      baseUrl: elsewhere.baseUrl,
      secret: elsewhere.apiKey,
    });
    expect((await request(engine, 'accountsTest', { id: account.id })).ok).toBe(true);
    expect(JSON.stringify(elsewhere.requests.map((r) => r.headers))).not.toContain(home.apiKey);
    // A rename or a rate change alone keeps the key (same address).
    await request(engine, 'accountsUpdate', { id: account.id, name: 'Renamed' });
    expect((await request(engine, 'accountsTest', { id: account.id })).ok).toBe(true);
  });

  it("a Kore.ai host change does not send the stored client secret's JWT to the new host", async () => {
    const storage = await createFakeStorage();
    closers.push(() => storage.close());
    const [home, elsewhere] = [await koreai(storage), await koreai(storage)];
    const engine = await appEngine();
    const account = await request(engine, 'accountsAdd', {
      provider: 'koreai',
      name: 'Bot',
      host: home.baseUrl,
      botId: home.botId,
      clientId: home.clientId,
      secret: home.clientSecret,
    });
    await expect(
      request(engine, 'accountsUpdate', { id: account.id, host: elsewhere.baseUrl }),
    ).rejects.toMatchObject({ code: 'invalid_arguments' });
    await request(engine, 'accountsTest', { id: account.id });
    expect(elsewhere.requests).toHaveLength(0);
    expect(home.requests.length).toBeGreaterThan(0);
  });

  it('plain http to another machine is refused for every address, in the app and on the command line', async () => {
    const home = await kallglot();
    const engine = await appEngine();
    for (const baseUrl of ['http://recordings.example.com', 'http://10.0.0.5:8080', 'ftp://x']) {
      await expect(
        request(engine, 'accountsAdd', {
          provider: 'kallglot',
          name: 'Plain',
          baseUrl,
          secret: 'k',
        }),
      ).rejects.toMatchObject({ code: 'invalid_arguments' });
    }
    const account = await request(engine, 'accountsAdd', {
      provider: 'kallglot',
      name: 'Main',
      baseUrl: home.baseUrl,
      secret: home.apiKey,
    });
    await expect(
      request(engine, 'accountsUpdate', {
        id: account.id,
        baseUrl: 'http://recordings.example.com',
        secret: home.apiKey,
      }),
    ).rejects.toMatchObject({ code: 'invalid_arguments' });
    // https anywhere and http to this machine (localhost, 127.0.0.0/8, ::1) are addresses.
    for (const baseUrl of ['https://api.example.com', 'http://localhost:9', 'http://127.3.4.5:9']) {
      await request(engine, 'accountsUpdate', { id: account.id, baseUrl, secret: 'k2' });
    }
    await request(engine, 'accountsUpdate', {
      id: account.id,
      baseUrl: 'http://[::1]:9',
      secret: 'k',
    });

    // The command line's edit (an environment-variable secret) follows the same rules.
    const cli = await openTestEngine({ KEY: home.apiKey });
    closers.push(() => cli.close());
    const koreaiAccount = await request(cli, 'accountsAddWithEnvSecret', {
      provider: 'koreai',
      name: 'Bot',
      host: 'platform.kore.ai',
      botId: 'b',
      clientId: 'c',
      secretEnv: 'KEY',
    });
    await expect(
      request(cli, 'accountsUpdateWithEnvSecret', {
        id: koreaiAccount.id,
        host: 'http://evil.example',
      }),
    ).rejects.toMatchObject({ code: 'invalid_arguments' });
    await expect(
      request(cli, 'accountsUpdateWithEnvSecret', { id: koreaiAccount.id, host: 'evil.example' }),
    ).rejects.toMatchObject({
      code: 'invalid_arguments',
      message: expect.stringMatching(/needs its key/),
    });
    await request(cli, 'accountsUpdateWithEnvSecret', {
      id: koreaiAccount.id,
      host: 'https://other.kore.ai',
      secretEnv: 'KEY',
    });
    const [view] = await request(cli, 'accountsList', {});
    expect(view!.host).toBe('https://other.kore.ai');
  });

  it('an account stored with a plain-http address before addresses were checked is not sent its key', async () => {
    // The client factory records what would be sent; no request leaves this process.
    const built: AccountConfig[] = [];
    const createClient = (config: AccountConfig): ProviderClient => {
      built.push(config);
      return { provider: config.provider, test: async () => undefined } as ProviderClient;
    };
    const engine = await openTestEngine({ KEY: 'sk_test_stored_long_ago' }, { createClient });
    closers.push(() => engine.close());
    const account = await request(engine, 'accountsAddWithEnvSecret', {
      provider: 'kallglot',
      name: 'Old',
      baseUrl: 'http://127.0.0.1:9',
      secretEnv: 'KEY',
    });
    // As an older version stored it, straight in the index.
    updateAccount(engine.db, account.id, {
      settings: { baseUrl: 'http://recordings.example.com', requestsPerMinute: null },
    });
    const result = await request(engine, 'accountsTest', { id: account.id });
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/https/) });
    expect(built).toEqual([]);
  });
});
