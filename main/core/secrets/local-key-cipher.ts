import crypto from 'node:crypto';
import fs from 'node:fs';
import type { SecretCipher } from './cipher.ts';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a random key kept in a 0600 file beside the archive. Used where Electron's
 * safeStorage is not available (the loopback bridge): secrets are never on disk in plaintext,
 * though anyone who can read the key file can decrypt them, so the desktop app uses the OS
 * keychain instead.
 */
export function localKeyCipher(keyFile: string): SecretCipher {
  const key = loadOrCreateKey(keyFile);
  return {
    kind: 'local-key',
    isAvailable: () => true,
    encrypt(plain) {
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(data) {
      const iv = data.subarray(0, IV_BYTES);
      const tag = data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([
        decipher.update(data.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}

function loadOrCreateKey(keyFile: string): Buffer {
  try {
    const existing = fs.readFileSync(keyFile);
    if (existing.length === KEY_BYTES) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = crypto.randomBytes(KEY_BYTES);
  fs.writeFileSync(keyFile, key, { mode: 0o600, flag: 'wx' });
  return key;
}
