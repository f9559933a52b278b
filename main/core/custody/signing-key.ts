import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../app-error.ts';
import { platformAppDataDir, type PathEnv } from '../paths.ts';
import type { SecretCipher } from '../secrets/cipher.ts';
import { publicKeyFingerprint } from './checkpoint.ts';
import { writeFileDurableSync } from '../durable/write-durable.ts';

/** The installation's Ed25519 key pair, loaded. */
export interface SigningKey {
  privateKey: KeyObject;
  /** SubjectPublicKeyInfo PEM. */
  publicKeyPem: string;
  /** SHA-256 (hex) of the public key's DER SPKI. */
  fingerprint: string;
}

/**
 * Where the installation's signing key lives. Never inside the index, so whoever can rewrite
 * index.sqlite cannot also re-sign checkpoints. Loading never makes a key: a missing key is
 * reported, and a new one is made only by an explicit `create` (a silent new key would
 * quietly sign a rewritten history).
 */
export interface SigningKeySource {
  readonly kind: 'key-file' | 'keychain';
  /** The file it is kept in, for messages. */
  readonly location: string;
  /** The key, or null when none was created yet. */
  load(): SigningKey | null;
  /** Makes and stores a new key; refuses when one exists. */
  create(): SigningKey;
}

export function missingKeyError(source: SigningKeySource): AppError {
  return new AppError(
    'not_found',
    source.kind === 'key-file'
      ? `No signing key at ${source.location}. Create one once with "recvault key init" ` +
          '(or point --key-file / RECVAULT_KEY_FILE at the existing one).'
      : `The signing key kept with the system keychain (${source.location}) is missing.`,
  );
}

function fromPrivatePem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' });
  const publicPem = publicKeyPem.toString();
  return { privateKey, publicKeyPem: publicPem, fingerprint: publicKeyFingerprint(publicPem) };
}

function newPrivatePem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function readIfPresent(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError(
      'storage',
      `The signing key ${file} cannot be read: ${(error as Error).message}`,
    );
  }
}

function unreadable(file: string, error: unknown): AppError {
  return new AppError(
    'storage',
    `The signing key ${file} is not a readable Ed25519 key: ${(error as Error).message}`,
  );
}

function exists(file: string): AppError {
  return new AppError('conflict', `A signing key already exists at ${file}; it was left as it is.`);
}

/**
 * A PKCS#8 PEM file readable by its owner only (the CLI's key, outside the data directory).
 * A file others can read is refused: the key would no longer be the installation's alone.
 */
export function keyFileSource(file: string): SigningKeySource {
  const source: SigningKeySource = {
    kind: 'key-file',
    location: file,
    load() {
      const pem = readIfPresent(file);
      if (pem === null) return null;
      if (process.platform !== 'win32') {
        const mode = fs.statSync(file).mode & 0o777;
        if ((mode & 0o077) !== 0) {
          // A setting to fix (exit code 2), not a failing disk.
          throw new AppError(
            'invalid_arguments',
            `The signing key ${file} can be read by others (mode ${mode.toString(8)}): ` +
              `run "chmod 600 ${file}".`,
          );
        }
      }
      try {
        return fromPrivatePem(pem.toString('utf8'));
      } catch (error) {
        throw unreadable(file, error);
      }
    },
    create() {
      if (fs.existsSync(file)) throw exists(file);
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const pem = newPrivatePem();
      try {
        writeFileDurableSync(file, pem, { mode: 0o600, noClobber: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw exists(file);
        throw error;
      }
      return fromPrivatePem(pem);
    },
  };
  return source;
}

/** The app's key: its PEM encrypted with the OS keychain (safeStorage), in a file of its own. */
export function encryptedKeySource(file: string, cipher: SecretCipher): SigningKeySource {
  return {
    kind: 'keychain',
    location: file,
    load() {
      const sealed = readIfPresent(file);
      if (sealed === null) return null;
      try {
        return fromPrivatePem(cipher.decrypt(sealed));
      } catch (error) {
        throw unreadable(file, error);
      }
    },
    create() {
      if (fs.existsSync(file)) throw exists(file);
      if (!cipher.isAvailable()) {
        throw new AppError(
          'unsupported',
          'The system keychain is not available to keep the signing key.',
        );
      }
      const pem = newPrivatePem();
      try {
        writeFileDurableSync(file, cipher.encrypt(pem), { mode: 0o600, noClobber: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw exists(file);
        throw error;
      }
      return fromPrivatePem(pem);
    },
  };
}

/**
 * The CLI's key file: RECVAULT_KEY_FILE, else a folder of its own beside the app's data
 * directory (~/.config/recvault-keys/ on Linux), never inside it: a backup or a copy of the
 * archive must not carry the key that vouches for it.
 */
export function defaultKeyFile(pathEnv: PathEnv): string {
  if (pathEnv.env.RECVAULT_KEY_FILE) return path.resolve(pathEnv.env.RECVAULT_KEY_FILE);
  return path.join(platformAppDataDir(pathEnv), 'recvault-keys', 'signing-key.pem');
}

/** Whether `file` is inside `folder` (a key kept in the data directory is refused). */
export function isInside(file: string, folder: string): boolean {
  const relative = path.relative(path.resolve(folder), path.resolve(file));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
