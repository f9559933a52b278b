/** How long the store must keep an object: its lock mode and the date it may go. */
export interface ObjectLock {
  mode: 'COMPLIANCE' | 'GOVERNANCE';
  retainUntil: Date;
  legalHold: boolean;
}

export const SHA256_METADATA = 'sha256';
