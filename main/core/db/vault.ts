import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';

// The team vault's target and upload queue (migration 012).

export interface VaultTargetRow {
  kind: 's3';
  endpoint: string;
  bucket: string;
  region: string;
  prefix: string;
  accessKeyRef: string;
  secretKeyRef: string;
  mode: 'compliance' | 'governance';
  retainDays: number;
  attached: boolean;
  addedAt: string;
}

export type VaultItemKind = 'media' | 'sidecar' | 'checkpoint';
export type VaultItemState = 'queued' | 'vaulted' | 'failed';

export interface VaultItemRow {
  item: string;
  kind: VaultItemKind;
  recordingId: number | null;
  localPath: string;
  objectKey: string;
  sha256: string;
  size: number;
  state: VaultItemState;
  versionId: string | null;
  lockMode: string | null;
  retainUntil: string | null;
  legalHold: boolean;
  attempts: number;
  lastError: string | null;
}

const TARGET_COLUMNS = `kind, endpoint, bucket, region, prefix, access_key_ref AS accessKeyRef,
  secret_key_ref AS secretKeyRef, mode, retain_days AS retainDays, attached, added_at AS addedAt`;
const ITEM_COLUMNS = `item, kind, recording_id AS recordingId, local_path AS localPath,
  object_key AS objectKey, sha256, size, state, version_id AS versionId, lock_mode AS lockMode,
  retain_until AS retainUntil, legal_hold AS legalHold, attempts, last_error AS lastError`;

type Raw<T> = Omit<T, 'attached' | 'legalHold'> & { attached?: number; legalHold?: number };

function target(row: Raw<VaultTargetRow> | undefined): VaultTargetRow | null {
  return row ? { ...row, attached: row.attached === 1 } : null;
}

function item(row: Raw<VaultItemRow>): VaultItemRow {
  return { ...row, legalHold: row.legalHold === 1 };
}

export function getVaultTarget(db: Db): VaultTargetRow | null {
  return target(
    cachedStatement(db, `SELECT ${TARGET_COLUMNS} FROM vault_target WHERE id = 1`).get() as
      Raw<VaultTargetRow> | undefined,
  );
}

export function setVaultTarget(db: Db, row: VaultTargetRow): void {
  cachedStatement(
    db,
    `INSERT INTO vault_target (id, kind, endpoint, bucket, region, prefix, access_key_ref,
       secret_key_ref, mode, retain_days, attached, added_at)
     VALUES (1, @kind, @endpoint, @bucket, @region, @prefix, @accessKeyRef, @secretKeyRef, @mode,
       @retainDays, @attached, @addedAt)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, endpoint = excluded.endpoint,
       bucket = excluded.bucket, region = excluded.region, prefix = excluded.prefix,
       access_key_ref = excluded.access_key_ref, secret_key_ref = excluded.secret_key_ref,
       mode = excluded.mode, retain_days = excluded.retain_days, attached = excluded.attached`,
  ).run({ ...row, attached: row.attached ? 1 : 0 });
}

/** A row for an object the vault must hold; an existing row (same item) is left as it is. */
export function enqueueVaultItem(
  db: Db,
  row: Pick<
    VaultItemRow,
    'item' | 'kind' | 'recordingId' | 'localPath' | 'objectKey' | 'sha256' | 'size'
  >,
  now: Date = new Date(),
): boolean {
  const { changes } = cachedStatement(
    db,
    `INSERT INTO vault_items (item, kind, recording_id, local_path, object_key, sha256, size,
       updated_at)
     VALUES (@item, @kind, @recordingId, @localPath, @objectKey, @sha256, @size, @at)
     ON CONFLICT (item) DO NOTHING`,
  ).run({ ...row, at: now.toISOString() });
  return changes > 0;
}

/** The next items to upload (queued, or failed fewer than `maxAttempts` times), in order. */
export function pendingVaultItems(db: Db, limit: number, maxAttempts: number): VaultItemRow[] {
  return (
    cachedStatement(
      db,
      `SELECT ${ITEM_COLUMNS} FROM vault_items
       WHERE state = 'queued' OR (state = 'failed' AND attempts < @maxAttempts)
       ORDER BY item LIMIT @limit`,
    ).all({ limit, maxAttempts }) as Raw<VaultItemRow>[]
  ).map(item);
}

export function markVaulted(
  db: Db,
  key: string,
  stored: {
    versionId: string | null;
    lockMode: string;
    retainUntil: string;
    legalHold: boolean;
    sha256: string;
    size: number;
  },
  now: Date = new Date(),
): void {
  cachedStatement(
    db,
    `UPDATE vault_items SET state = 'vaulted', version_id = @versionId, lock_mode = @lockMode,
       sha256 = @sha256, size = @size,
       retain_until = @retainUntil, legal_hold = @legalHold, last_error = NULL, updated_at = @at
     WHERE item = @item`,
  ).run({ ...stored, legalHold: stored.legalHold ? 1 : 0, item: key, at: now.toISOString() });
}

export function markVaultFailed(db: Db, key: string, reason: string, now: Date = new Date()): void {
  cachedStatement(
    db,
    `UPDATE vault_items SET state = 'failed', attempts = attempts + 1, last_error = @reason,
       updated_at = @at WHERE item = @item`,
  ).run({ item: key, reason, at: now.toISOString() });
}

/** An object the store no longer holds as recorded (vault verify): queued again. */
export function requeueVaultItem(
  db: Db,
  key: string,
  reason: string,
  now: Date = new Date(),
): void {
  cachedStatement(
    db,
    `UPDATE vault_items SET state = 'queued', last_error = @reason, updated_at = @at
     WHERE item = @item`,
  ).run({ item: key, reason, at: now.toISOString() });
}

export function setVaultLegalHold(db: Db, key: string, on: boolean, now: Date = new Date()): void {
  cachedStatement(
    db,
    `UPDATE vault_items SET legal_hold = @on, updated_at = @at WHERE item = @item`,
  ).run({ item: key, on: on ? 1 : 0, at: now.toISOString() });
}

export function vaultItemsOfRecording(db: Db, recordingId: number): VaultItemRow[] {
  return (
    cachedStatement(
      db,
      `SELECT ${ITEM_COLUMNS} FROM vault_items WHERE recording_id = ? ORDER BY item`,
    ).all(recordingId) as Raw<VaultItemRow>[]
  ).map(item);
}

export function vaultedItems(db: Db, kind: VaultItemKind | null): VaultItemRow[] {
  return (
    cachedStatement(
      db,
      `SELECT ${ITEM_COLUMNS} FROM vault_items WHERE state = 'vaulted'
       AND (@kind IS NULL OR kind = @kind) ORDER BY item`,
    ).all({ kind }) as Raw<VaultItemRow>[]
  ).map(item);
}

export function vaultCounts(db: Db): Record<VaultItemState, number> {
  const counts = { queued: 0, vaulted: 0, failed: 0 };
  const rows = cachedStatement(
    db,
    `SELECT state, count(*) AS n FROM vault_items GROUP BY state`,
  ).all() as { state: VaultItemState; n: number }[];
  for (const row of rows) counts[row.state] = row.n;
  return counts;
}

/** When the newest object was last confirmed in the vault (its row marked vaulted), or null. */
export function lastVaultedAt(db: Db): string | null {
  const row = cachedStatement(
    db,
    `SELECT max(updated_at) AS at FROM vault_items WHERE state = 'vaulted'`,
  ).get() as { at: string | null } | undefined;
  return row?.at ?? null;
}

/** Archived recordings with no vault row yet (the back-fill), with what their keys need. */
export interface UnvaultedRecording {
  id: number;
  provider: string;
  accountName: string;
  remoteId: string;
  recordedAt: string | null;
  localPath: string;
  sha256: string;
  size: number;
}

export function archivedNotQueued(db: Db, limit: number): UnvaultedRecording[] {
  return cachedStatement(
    db,
    `SELECT r.id, r.provider, a.name AS accountName, r.remote_id AS remoteId,
       coalesce(r.recorded_at, r.created_at) AS recordedAt, r.local_path AS localPath,
       r.sha256, r.local_size AS size
     FROM recordings r JOIN accounts a ON a.id = r.account_id
     WHERE r.state = 'archived' AND r.local_path IS NOT NULL AND r.sha256 IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM vault_items v WHERE v.item = 'media:' || r.id)
     ORDER BY r.id LIMIT ?`,
  ).all(limit) as UnvaultedRecording[];
}

/** The latest retain-until the vault holds for a recording's media, or null when none. */
export function vaultRetainUntil(
  db: Db,
  recordingId: number,
): { mode: string; until: string } | null {
  const row = cachedStatement(
    db,
    `SELECT lock_mode AS mode, retain_until AS until FROM vault_items
     WHERE recording_id = ? AND kind = 'media' AND state = 'vaulted'`,
  ).get(recordingId) as { mode: string; until: string } | undefined;
  return row ?? null;
}

/**
 * Recordings whose media the team vault holds (a HEAD showed its SHA-256): with no local file,
 * such a recording is kept in the vault only (an attached officer's), not missing.
 */
export function vaultedMediaRecordingIds(db: Db): Set<number> {
  if (!getVaultTarget(db)) return new Set();
  const rows = cachedStatement(
    db,
    `SELECT recording_id AS id FROM vault_items
     WHERE kind = 'media' AND state = 'vaulted' AND recording_id IS NOT NULL`,
  ).all() as { id: number }[];
  return new Set(rows.map((row) => row.id));
}

/** The team vault holds media with this SHA-256 (a HEAD, or an attach's bundle, showed it). */
export function vaultHoldsMedia(db: Db, sha256: string): boolean {
  if (!getVaultTarget(db)) return false;
  return (
    cachedStatement(
      db,
      `SELECT 1 FROM vault_items WHERE kind = 'media' AND state = 'vaulted' AND sha256 = ?
       LIMIT 1`,
    ).get(sha256) !== undefined
  );
}
