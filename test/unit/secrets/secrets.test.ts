import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localKeyCipher } from '../../../main/core/secrets/local-key-cipher.ts';
import { SecretStore } from '../../../main/core/secrets/secret-store.ts';
import { tempDir } from '../../support/tmp.ts';

const canary = 'sk_live_CANARY_7f3a9e1d4b2c';

describe('secret store', () => {
  it('keeps secrets encrypted on disk and gives them back', () => {
    const dir = tempDir();
    const cipher = localKeyCipher(path.join(dir, 'local.key'));
    const store = new SecretStore(dir);
    store.put('enc:account-1', cipher, canary);
    expect(store.get('enc:account-1', cipher)).toBe(canary);
    for (const file of fs.readdirSync(dir)) {
      expect(fs.readFileSync(path.join(dir, file)).includes(canary), file).toBe(false);
    }
    expect(fs.statSync(path.join(dir, 'secrets.json')).mode & 0o077).toBe(0);
  });

  it('reuses the key across runs and refuses a tampered ciphertext', () => {
    const dir = tempDir();
    const store = new SecretStore(dir);
    store.put('enc:a', localKeyCipher(path.join(dir, 'local.key')), canary);
    const again = localKeyCipher(path.join(dir, 'local.key'));
    expect(store.get('enc:a', again)).toBe(canary);
    const file = path.join(dir, 'secrets.json');
    const all = JSON.parse(fs.readFileSync(file, 'utf8'));
    const bytes = Buffer.from(all['enc:a'], 'base64');
    bytes[bytes.length - 1]! ^= 1;
    all['enc:a'] = bytes.toString('base64');
    fs.writeFileSync(file, JSON.stringify(all));
    expect(() => store.get('enc:a', again)).toThrow();
  });

  it('forgets a deleted secret', () => {
    const dir = tempDir();
    const cipher = localKeyCipher(path.join(dir, 'local.key'));
    const store = new SecretStore(dir);
    store.put('enc:a', cipher, canary);
    store.delete('enc:a');
    expect(store.get('enc:a', cipher)).toBeNull();
  });
});
