// Linux without a keyring: Electron's safeStorage says encryption is available but uses a fixed
// password (the basic_text backend). The app must treat that as no secure storage at all.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { safeStorageCipher, type SafeStorageLike } from '../../../main/app/safe-storage-cipher.ts';
import type { Engine } from '../../../main/core/engine.ts';
import { dispatchRequest } from '../../../main/core/api/dispatch.ts';
import { newDataDir, openTestEngine } from '../../support/engine.ts';
import { queryIndex } from '../../support/data-dir.ts';

type Backend = ReturnType<SafeStorageLike['getSelectedStorageBackend']>;

/** A stand-in safeStorage: reversible "encryption", the backend the test picks. */
function standInSafeStorage(backend: Backend, available = true) {
  return {
    isEncryptionAvailable: vi.fn(() => available),
    getSelectedStorageBackend: vi.fn(() => backend),
    encryptString: vi.fn((plain: string) => Buffer.from(`ss:${plain}`)),
    decryptString: vi.fn((data: Buffer) => data.toString().replace(/^ss:/, '')),
  };
}

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.close();
  engine = null;
});

let dataDir = '';
async function engineWith(safeStorage: SafeStorageLike, platform: NodeJS.Platform = 'linux') {
  dataDir = newDataDir();
  engine = await openTestEngine(
    {},
    { dataDir, platform: { cipher: safeStorageCipher(safeStorage, platform) } },
  );
  return engine;
}

describe('Linux keyring absent', () => {
  it('refuses to store a typed key with basic_text, says why, and writes nothing', async () => {
    const safeStorage = standInSafeStorage('basic_text');
    const opened = await engineWith(safeStorage);
    const info = await opened.handlers.appInfo({});
    expect(info.secretStorage.encrypted).toBe(false);
    expect(info.secretStorage.reason).toMatch(/keyring/i);

    const added = await dispatchRequest(opened.handlers, 'accountsAdd', {
      provider: 'kallglot',
      name: 'Support',
      secret: 'sk_live_do_not_leak',
    });
    expect(added).toMatchObject({ ok: false, code: 'unsupported' });
    const message = JSON.stringify(added);
    expect(message).toMatch(/keyring/i);
    expect(message).toContain('--api-key-env');
    expect(message).not.toContain('sk_live_do_not_leak');
    expect(safeStorage.encryptString).not.toHaveBeenCalled();
    expect(queryIndex(dataDir, 'SELECT * FROM accounts')).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'secrets.json'))).toBe(false);
  });

  it('still offers environment-variable secrets', async () => {
    const opened = await engineWith(standInSafeStorage('basic_text'));
    const account = opened.accounts.add('kallglot', { name: 'Env' }, { secretEnv: 'KALLGLOT_KEY' });
    expect(account.secretSource).toBe('env');
  });

  it('stores encrypted with a real keyring backend, and never asks the backend off Linux', async () => {
    const keyring = standInSafeStorage('gnome_libsecret');
    const withKeyring = await engineWith(keyring);
    expect((await withKeyring.handlers.appInfo({})).secretStorage).toEqual({
      encrypted: true,
      reason: null,
    });
    const added = await dispatchRequest(withKeyring.handlers, 'accountsAdd', {
      provider: 'kallglot',
      name: 'Support',
      secret: 'sk_live_1',
    });
    expect(added.ok).toBe(true);
    expect(keyring.encryptString).toHaveBeenCalledWith('sk_live_1');
    await withKeyring.close();

    const mac = standInSafeStorage('basic_text');
    mac.getSelectedStorageBackend.mockImplementation(() => {
      throw new Error('getSelectedStorageBackend is Linux only');
    });
    expect(safeStorageCipher(mac, 'darwin').isAvailable()).toBe(true);
  });

  it('reads a secret stored earlier under basic_text, so nothing becomes unreadable', () => {
    const cipher = safeStorageCipher(standInSafeStorage('basic_text'));
    expect(cipher.isAvailable()).toBe(false);
    expect(cipher.decrypt(Buffer.from('ss:sk_old'))).toBe('sk_old');
  });

  it('says the keychain is missing when safeStorage reports no encryption', () => {
    const cipher = safeStorageCipher(standInSafeStorage('unknown', false));
    expect(cipher.isAvailable()).toBe(false);
    expect(cipher.unavailableReason?.()).toMatch(/keychain is not available/);
  });
});
