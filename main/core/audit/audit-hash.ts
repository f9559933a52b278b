import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { JsonObject } from './canonical-json.ts';
import type { AuditRow } from '../db/audit-log.ts';

/** prev_hash of the first entry: nothing came before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** One entry of the hash-chained audit log. */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: JsonObject;
  /** The previous entry's hash (GENESIS_HASH for the first). */
  prevHash: string;
  hash: string;
}

/** SHA-256 (hex) of the canonical JSON of every field of an entry, including the link back. */
export function auditEntryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const canonical = canonicalJson({
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    details: entry.details,
    prevHash: entry.prevHash,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** The entry a stored row holds, its details parsed (or, from a damaged row, stood in for). */
export function entryFromRow(row: AuditRow, details: JsonObject): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
