import { AppError } from '../app-error.ts';
import {
  envSecretRef,
  secretSource,
  secretStorageStatus,
  storeEncryptedSecret,
  type SecretAccess,
} from '../accounts/secret-ref.ts';

/** The vault's two keys as references kept in the index: env:VAR, or enc:… in the keychain. */
export interface VaultKeyRefs {
  accessKeyRef: string;
  secretKeyRef: string;
}

export type VaultKeysInput =
  { accessKeyEnv: string; secretKeyEnv: string } | { accessKey: string; secretKey: string };

export function storeVaultKeys(access: SecretAccess, keys: VaultKeysInput): VaultKeyRefs {
  if ('accessKeyEnv' in keys) {
    for (const variable of [keys.accessKeyEnv, keys.secretKeyEnv]) {
      if (!access.env[variable]) {
        throw new AppError('auth', `The environment variable ${variable} is not set.`);
      }
    }
    return {
      accessKeyRef: envSecretRef(keys.accessKeyEnv),
      secretKeyRef: envSecretRef(keys.secretKeyEnv),
    };
  }
  if (!access.cipher?.isAvailable()) {
    // The accounts' refusal names `recvault account add`: say the vault's own way instead.
    throw new AppError(
      'unsupported',
      `${secretStorageStatus(access.cipher).reason} The vault's keys typed here cannot be kept. ` +
        'Set them in two environment variables before starting Recvault and add the vault with ' +
        'recvault vault add s3 … --access-key-env VARIABLE --secret-key-env VARIABLE.',
    );
  }
  return {
    accessKeyRef: storeEncryptedSecret(access, keys.accessKey),
    secretKeyRef: storeEncryptedSecret(access, keys.secretKey),
  };
}

/** The keys' values; errors name the variable or the keychain, never a value. */
export function resolveVaultKeys(
  access: SecretAccess,
  refs: VaultKeyRefs,
): { accessKeyId: string; secretAccessKey: string } {
  const one = (ref: string, what: string): string => {
    const { source, env } = secretSource(ref);
    if (source === 'env') {
      const value = access.env[env!];
      if (!value) {
        throw new AppError(
          'auth',
          `The vault's ${what} is read from the environment variable ${env}, which is not set.`,
        );
      }
      return value;
    }
    if (!access.cipher) {
      throw new AppError(
        'auth',
        `The vault's keys are kept by the desktop app's keychain. For the command line, add the ` +
          'vault again with --access-key-env VARIABLE --secret-key-env VARIABLE.',
      );
    }
    const plain = access.store.get(ref, access.cipher);
    if (!plain) throw new AppError('auth', `The vault's ${what} is missing: add the vault again.`);
    return plain;
  };
  return {
    accessKeyId: one(refs.accessKeyRef, 'access key'),
    secretAccessKey: one(refs.secretKeyRef, 'secret key'),
  };
}
