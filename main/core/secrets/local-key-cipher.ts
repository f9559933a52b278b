import crypto from 'node:crypto';
import fs from 'node:fs';
import { writeFileDurableSync } from '../durable/write-durable.ts';
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

/**
 * A new key only when no key file exists at all: an empty or short one (a crash, a bad copy) is
 * refused, never replaced, since secrets.json may hold secrets only the lost key can decrypt.
 */
function loadOrCreateKey(keyFile: string): Buffer {
  const existing = readKey(keyFile);
  if (existing) return existing;
  const key = crypto.randomBytes(KEY_BYTES);
  try {
    writeFileDurableSync(keyFile, key, { mode: 0o600, noClobber: true });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readKey(keyFile)!;
    throw error;
  }
  return key;
}

function readKey(keyFile: string): Buffer | null {
  let existing: Buffer;
  try {
    existing = fs.readFileSync(keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (existing.length !== KEY_BYTES) {
    throw new Error(
      `The key file ${keyFile} is damaged (${existing.length} bytes, a key is ${KEY_BYTES}). ` +
        'It was left as it is: restore it from a backup to read the saved secrets, or move it ' +
        'away to start with a new key (the saved secrets must then be entered again).',
    );
  }
  return existing;
}
