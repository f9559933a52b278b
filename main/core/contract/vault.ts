// The team vault's contract (issue 17): what its channels answer. Schemas are in requests.ts.

import type { VaultMode } from './vocabulary.ts';

/** The vault target as anyone may see it: keys named by their source, never shown. */
export interface VaultTargetView {
  kind: 's3';
  endpoint: string;
  bucket: string;
  region: string;
  prefix: string;
  mode: VaultMode;
  retainDays: number;
  /** Where the keys come from: environment variables (their names), or the app's keychain. */
  keys: { source: 'env'; accessKeyEnv: string; secretKeyEnv: string } | { source: 'encrypted' };
  /** Attached to a vault other officers fill (vault attach), not only added. */
  attached: boolean;
  addedAt: string;
}

export interface VaultCheckView {
  name: 'bucket' | 'objectLock' | 'versioning' | 'write' | 'read' | 'retention';
  ok: boolean;
  detail: string;
}

export interface VaultTestResult {
  ok: boolean;
  checks: VaultCheckView[];
}

export interface VaultStatus {
  target: VaultTargetView | null;
  /** Objects in the upload queue by state (vaulted only once the store showed the hash). */
  queued: number;
  vaulted: number;
  failed: number;
  /** When an object was last confirmed in the vault (ISO 8601), or null. */
  lastUploadAt: string | null;
  /** A sync, back-fill, attach or verify is running now (vaultChanged follows its progress). */
  busy: boolean;
  /**
   * Open a team vault under way: recordings indexed (or, with copyingMedia, copied) from the
   * vault so far, of how many.
   */
  attaching: { copied: number; total: number; copyingMedia: boolean } | null;
  lastError: string | null;
  failures: { item: string; reason: string }[];
}

export interface VaultSyncResult {
  queuedNow: number;
  uploaded: number;
  alreadyThere: number;
  holdsChanged: number;
  failed: { item: string; reason: string }[];
  /** Recordings newly covered by a day bundle (the vault's index/) this run. */
  bundled: number;
}

export interface VaultVerifyResult {
  checked: number;
  findings: { objectKey: string; problem: 'missing' | 'differs' | 'unreadable'; detail: string }[];
}

export interface VaultCheckpointsResult {
  matching: number;
  notInVault: string[];
  onlyInVault: string[];
  differ: string[];
}

/** An offline copy made from the team vault (vault fetch). */
export interface VaultFetchResult {
  recordingId: number;
  remoteId: string;
  /** Where the copy is, relative to the archive. */
  localPath: string;
  sha256: string;
  bytes: number;
  /** The archive had the file already (with the index's hash): nothing was downloaded. */
  alreadyLocal: boolean;
}
