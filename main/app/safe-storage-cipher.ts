import type { SafeStorage } from 'electron';
import type { SecretCipher } from '../core/secrets/cipher.ts';

/** Account secrets encrypted with the OS keychain through Electron's safeStorage. */
export function safeStorageCipher(safeStorage: SafeStorage): SecretCipher {
  return {
    kind: 'safe-storage',
    isAvailable: () => safeStorage.isEncryptionAvailable(),
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  };
}
