/**
 * Encrypts account secrets at rest. The app uses Electron's safeStorage (the OS keychain);
 * the browser bridge uses a local key file (development and tests only).
 */
export interface SecretCipher {
  readonly kind: 'safe-storage' | 'local-key';
  isAvailable(): boolean;
  /** Why isAvailable() is false, in words for the user (null when it is true). */
  unavailableReason?(): string | null;
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}
