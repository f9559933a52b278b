import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';

// The checkpoints table's rows as stored; what they mean is core/custody's business.

export type TsaState = 'off' | 'pending' | 'stamped';

export interface CheckpointRow {
  seq: number;
  created_at: string;
  reason: string;
  audit_seq: number;
  audit_hash: string;
  merkle_root: string;
  file_count: number;
  key_fingerprint: string;
  public_key_pem: string;
  body: Buffer;
  signature: Buffer;
  /** The audit entry hashes the checkpoint's range covers, newline-separated. */
  entry_hashes: string;
  file_name: string;
  tsa_state: TsaState;
  tsa_url: string | null;
  tsr: Buffer | null;
  tsa_error: string | null;
}

const COLUMNS = `seq, created_at, reason, audit_seq, audit_hash, merkle_root, file_count,
  key_fingerprint, public_key_pem, body, signature, entry_hashes, file_name, tsa_state, tsa_url,
  tsr, tsa_error`;

export function insertCheckpointRow(db: Db, row: CheckpointRow): void {
  cachedStatement(
    db,
    `INSERT INTO checkpoints (${COLUMNS}) VALUES (@seq, @created_at, @reason, @audit_seq,
       @audit_hash, @merkle_root, @file_count, @key_fingerprint, @public_key_pem, @body,
       @signature, @entry_hashes, @file_name, @tsa_state, @tsa_url, @tsr, @tsa_error)`,
  ).run(row);
}

export function latestCheckpointRow(db: Db): CheckpointRow | null {
  const row = cachedStatement(
    db,
    `SELECT ${COLUMNS} FROM checkpoints ORDER BY seq DESC LIMIT 1`,
  ).get() as CheckpointRow | undefined;
  return row ?? null;
}

export function checkpointRow(db: Db, seq: number): CheckpointRow | null {
  const row = cachedStatement(db, `SELECT ${COLUMNS} FROM checkpoints WHERE seq = ?`).get(seq) as
    CheckpointRow | undefined;
  return row ?? null;
}

/** The first checkpoint whose head is at or after audit entry `auditSeq` (it covers it). */
export function firstCheckpointCovering(db: Db, auditSeq: number): CheckpointRow | null {
  const row = cachedStatement(
    db,
    `SELECT ${COLUMNS} FROM checkpoints WHERE audit_seq >= ? ORDER BY seq LIMIT 1`,
  ).get(auditSeq) as CheckpointRow | undefined;
  return row ?? null;
}

/** Every checkpoint, oldest first. */
export function checkpointRowsInOrder(db: Db): CheckpointRow[] {
  return cachedStatement(
    db,
    `SELECT ${COLUMNS} FROM checkpoints ORDER BY seq`,
  ).all() as CheckpointRow[];
}

export function countCheckpoints(db: Db): number {
  return (cachedStatement(db, 'SELECT count(*) AS n FROM checkpoints').get() as { n: number }).n;
}

/** Checkpoints whose timestamp was asked for and not obtained, oldest first. */
export function pendingTimestampRows(db: Db): CheckpointRow[] {
  return cachedStatement(
    db,
    `SELECT ${COLUMNS} FROM checkpoints WHERE tsa_state = 'pending' ORDER BY seq`,
  ).all() as CheckpointRow[];
}

export function setCheckpointTimestamp(
  db: Db,
  seq: number,
  change: {
    tsa_state: TsaState;
    tsa_url: string | null;
    tsr: Buffer | null;
    tsa_error: string | null;
  },
): void {
  cachedStatement(
    db,
    `UPDATE checkpoints SET tsa_state = @tsa_state, tsa_url = @tsa_url, tsr = @tsr,
       tsa_error = @tsa_error WHERE seq = @seq`,
  ).run({ seq, ...change });
}

/** The SHA-256 of every archived file, ordered by recording id (the Merkle tree's leaves). */
export function archivedDigestsInIdOrder(db: Db): string[] {
  const rows = cachedStatement(
    db,
    `SELECT sha256 FROM recordings WHERE state = 'archived' AND sha256 IS NOT NULL ORDER BY id`,
  ).all() as { sha256: string }[];
  return rows.map((row) => row.sha256);
}

/** The hashes of audit entries fromSeq..toSeq, in seq order. */
export function auditHashesBetween(db: Db, fromSeq: number, toSeq: number): string[] {
  const rows = cachedStatement(
    db,
    'SELECT hash FROM audit_log WHERE seq BETWEEN ? AND ? ORDER BY seq',
  ).all(fromSeq, toSeq) as { hash: string }[];
  return rows.map((row) => row.hash);
}

/** Each audit entry's seq and hash, fromSeq..toSeq, in seq order (to compare with a checkpoint). */
export function auditSeqHashesBetween(
  db: Db,
  fromSeq: number,
  toSeq: number,
): { seq: number; hash: string }[] {
  return cachedStatement(
    db,
    'SELECT seq, hash FROM audit_log WHERE seq BETWEEN ? AND ? ORDER BY seq',
  ).all(fromSeq, toSeq) as { seq: number; hash: string }[];
}
