import type { SafeStorage } from 'electron';
import type { SecretCipher } from '../core/secrets/cipher.ts';

/** The part of Electron's safeStorage the cipher uses (a stand-in in tests). */
export type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

/**
 * Account secrets encrypted with the OS keychain through Electron's safeStorage.
 *
 * On Linux without a keyring (no GNOME Keyring or KWallet running, common on minimal desktops
 * and servers), safeStorage silently falls back to the `basic_text` backend: it "encrypts" with
 * a password hard-coded in Chromium and still reports encryption as available. Anyone who can
 * read secrets.json could then decrypt it, so that backend counts as no secure storage at all.
 * Secrets stored earlier stay readable (decrypt is unaffected) so nothing is lost.
 */
export function safeStorageCipher(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): SecretCipher {
  const unavailableReason = (): string | null => {
    if (!safeStorage.isEncryptionAvailable()) {
      return 'The system keychain is not available, so secrets cannot be stored encrypted.';
    }
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      return (
        'No keyring (GNOME Keyring or KWallet) is running, so secrets would be encrypted with ' +
        'a fixed password anyone can look up.'
      );
    }
    return null;
  };
  return {
    kind: 'safe-storage',
    isAvailable: () => unavailableReason() === null,
    unavailableReason,
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  };
}
