import crypto from 'node:crypto';
import { AppError } from '../app-error.ts';
import type { SecretCipher } from '../secrets/cipher.ts';
import type { SecretStore } from '../secrets/secret-store.ts';

/** How an engine reaches secrets: the app's cipher (null in the CLI) and the environment. */
export interface SecretAccess {
  store: SecretStore;
  cipher: SecretCipher | null;
  env: NodeJS.ProcessEnv;
  /** A secret given for this run only (the CLI's stdin), for that one account. */
  override?: SecretOverride | null;
}

/** `--secret-stdin`: the secret of the account the command names, and of no other. */
export interface SecretOverride {
  accountName: string;
  secret: string;
}

const ENV_PREFIX = 'env:';
const ENCRYPTED_PREFIX = 'enc:';

export function envSecretRef(variable: string): string {
  return `${ENV_PREFIX}${variable}`;
}

export function newEncryptedSecretRef(): string {
  return `${ENCRYPTED_PREFIX}${crypto.randomBytes(9).toString('base64url')}`;
}

export function secretSource(ref: string | null): {
  source: 'encrypted' | 'env';
  env: string | null;
} {
  if (ref?.startsWith(ENV_PREFIX)) return { source: 'env', env: ref.slice(ENV_PREFIX.length) };
  return { source: 'encrypted', env: null };
}

/** Stores a secret typed into the app, encrypted; returns the reference to keep in the index. */
export function storeEncryptedSecret(
  access: SecretAccess,
  plain: string,
  ref = newEncryptedSecretRef(),
): string {
  if (!access.cipher || !access.cipher.isAvailable()) {
    throw new AppError('unsupported', `${secretStorageStatus(access.cipher).reason} ${USE_ENV}`);
  }
  access.store.put(ref, access.cipher, plain);
  return ref;
}

const USE_ENV =
  'Keep the secret in an environment variable instead: set it before starting Recvault and add ' +
  'the account with recvault account add … --api-key-env VARIABLE (or --client-secret-env).';

/** Whether secrets typed into the app can be stored encrypted, and if not, why (for appInfo). */
export function secretStorageStatus(cipher: SecretCipher | null): {
  encrypted: boolean;
  reason: string | null;
} {
  if (cipher?.isAvailable()) return { encrypted: true, reason: null };
  const reason =
    cipher?.unavailableReason?.() ?? 'This system offers no secure storage for secrets.';
  return { encrypted: false, reason };
}

export function forgetSecret(access: SecretAccess, ref: string | null): void {
  if (ref?.startsWith(ENCRYPTED_PREFIX)) access.store.delete(ref);
}

/**
 * The secret of an account, from wherever its reference points. The error names the account
 * and the variable, never a value.
 */
export function resolveSecret(
  access: SecretAccess,
  accountName: string,
  ref: string | null,
): string {
  if (access.override && access.override.accountName === accountName) {
    return access.override.secret;
  }
  if (ref?.startsWith(ENV_PREFIX)) {
    const variable = ref.slice(ENV_PREFIX.length);
    const value = access.env[variable];
    if (!value) {
      throw new AppError(
        'auth',
        `Account "${accountName}" reads its secret from the environment variable ${variable}, which is not set.`,
      );
    }
    return value;
  }
  if (ref?.startsWith(ENCRYPTED_PREFIX)) {
    if (!access.cipher) {
      throw new AppError(
        'auth',
        `Account "${accountName}" keeps its secret encrypted by the desktop app. For the command line, ` +
          `run: recvault account edit "${accountName}" --api-key-env VARIABLE (or --client-secret-env).`,
      );
    }
    const plain = access.store.get(ref, access.cipher);
    if (plain) return plain;
  }
  throw new AppError(
    'auth',
    `Account "${accountName}" has no secret stored: edit it and enter one.`,
  );
}
