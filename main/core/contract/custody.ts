// What the custody channels answer (core/custody): checkpoints, the signing key, the TSA.

export type CheckpointTimestampState = 'off' | 'pending' | 'stamped';

/** One signed checkpoint as the UI and the CLI show it. */
export interface CheckpointView {
  seq: number;
  createdAt: string;
  reason: string;
  auditSeq: number;
  auditHash: string;
  merkleRoot: string;
  fileCount: number;
  keyFingerprint: string;
  /** The `.json` file in the data directory's checkpoints/ folder. */
  file: string;
  timestamp: {
    state: CheckpointTimestampState;
    tsaUrl: string | null;
    /** The TSA's time (genTime), when stamped. */
    time: string | null;
    /** Why the last attempt failed, when pending. */
    error: string | null;
  };
}

export interface SigningKeyView {
  /** Where the private key is kept: a 0600 file (the CLI) or encrypted with the keychain (app). */
  kind: 'key-file' | 'keychain';
  location: string;
  /** Null when no key was created yet. */
  publicKeyPem: string | null;
  /** SHA-256 (hex) of the DER SubjectPublicKeyInfo. */
  fingerprint: string | null;
}

/** The custody settings: the time-stamping authority and the fixity schedule. */
export interface CustodySettingsView {
  tsaUrl: string | null;
  /** The CA certificate (PEM) that the TSA's certificate chains to, for verification. */
  tsaCaFile: string | null;
  /** Days between scheduled verifications in the app; 0: never. */
  verifyEveryDays: number;
}

export interface CustodyStatus {
  key: SigningKeyView | null;
  settings: CustodySettingsView;
  lastCheckpoint: CheckpointView | null;
  /** Why the last automatic checkpoint failed, or null. */
  lastCheckpointError: string | null;
  /** When the archive and log were last verified (the newest verify.run entry), or null. */
  lastVerifyAt: string | null;
  /** When the scheduled verification next runs, or null when off or not in the app. */
  nextScheduledVerifyAt: string | null;
}
