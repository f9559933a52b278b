import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localKeyCipher } from '../../../main/core/secrets/local-key-cipher.ts';
import { SecretStore } from '../../../main/core/secrets/secret-store.ts';
import { resolveVaultKeys, storeVaultKeys } from '../../../main/core/vault/vault-keys.ts';
import { tempDir } from '../../support/tmp.ts';

// The keys the app's Team vault form sends: sealed by the secret store, or refused in the
// vault's own words when this machine cannot seal them.
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYVAULTCANARY';

describe('vault keys typed into the app', () => {
  it('are sealed by the secret store and read back, never kept in the clear', () => {
    const dir = tempDir();
    const access = {
      store: new SecretStore(dir),
      cipher: localKeyCipher(path.join(dir, 'local.key')),
      env: {},
    };
    const refs = storeVaultKeys(access, { accessKey: 'AKIAVAULT', secretKey: SECRET });
    expect(refs.secretKeyRef).toMatch(/^enc:/);
    expect(refs.secretKeyRef).not.toContain(SECRET);
    expect(resolveVaultKeys(access, refs)).toEqual({
      accessKeyId: 'AKIAVAULT',
      secretAccessKey: SECRET,
    });
    for (const file of fs.readdirSync(dir)) {
      expect(fs.readFileSync(path.join(dir, file)).includes(SECRET), file).toBe(false);
    }
  });

  it('are refused without a keychain, naming the vault command and not the secret', () => {
    const access = { store: new SecretStore(tempDir()), cipher: null, env: {} };
    let message = '';
    try {
      storeVaultKeys(access, { accessKey: 'AKIAVAULT', secretKey: SECRET });
    } catch (error) {
      message = (error as Error).message;
      expect((error as { code?: string }).code).toBe('unsupported');
    }
    expect(message).toContain('recvault vault add s3 … --access-key-env VARIABLE');
    expect(message).not.toContain('account add');
    expect(message).not.toContain(SECRET);
  });
});
