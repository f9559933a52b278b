// A key file a crash left empty or short is refused, never replaced: secrets.json may hold
// secrets only that key can decrypt, and a new key would make them unrecoverable for good.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localKeyCipher } from '../../../main/core/secrets/local-key-cipher.ts';
import { SecretStore } from '../../../main/core/secrets/secret-store.ts';
import { tempDir } from '../../support/tmp.ts';

describe('local key file', () => {
  it.each([
    ['an empty', Buffer.alloc(0)],
    ['a truncated', Buffer.alloc(17, 1)],
  ])('%s key file is refused with a clear error and left as it was', (_, content) => {
    const dir = tempDir();
    const keyFile = path.join(dir, 'bridge-secrets.key');
    fs.writeFileSync(keyFile, content);
    expect(() => localKeyCipher(keyFile)).toThrow(/key file .* is damaged .* restore it/s);
    expect(fs.readFileSync(keyFile)).toEqual(content);
  });

  it('a new key is written only when none existed, and the next run reads it', () => {
    const dir = tempDir();
    const keyFile = path.join(dir, 'bridge-secrets.key');
    const store = new SecretStore(dir);
    store.put('secret:1', localKeyCipher(keyFile), 'swordfish');
    expect(fs.statSync(keyFile).size).toBe(32);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(store.get('secret:1', localKeyCipher(keyFile))).toBe('swordfish');
    expect(fs.readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });
});
