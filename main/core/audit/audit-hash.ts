import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { JsonValue } from './canonical-json.ts';

/** prev_hash of the first entry: nothing came before it. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditHashInput {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: { [key: string]: JsonValue };
  prevHash: string;
}

/** SHA-256 (hex) of the canonical JSON of every field of an entry, including the link back. */
export function auditEntryHash(entry: AuditHashInput): string {
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
