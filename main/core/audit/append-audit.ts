import { appendAuditRow } from '../db/audit-log.ts';
import type { Db } from '../db/sqlite.ts';
import type { AuditAction, AuditActor } from './actions.ts';
import { auditEntryHash, entryFromRow, type AuditEntry } from './audit-hash.ts';
import type { JsonObject } from './canonical-json.ts';
import { canonicalJson } from './canonical-json.ts';

export type { AuditEntry } from './audit-hash.ts';

export interface AuditEntryInput {
  // `string & {}` keeps editor completion for the known names while allowing others.
  actor: AuditActor | (string & {});
  action: AuditAction | (string & {});
  /** What the entry is about, e.g. "recording:42", "account:3", "export:7". */
  subject?: string | null;
  details?: JsonObject;
}

export interface AppendAuditOptions {
  now?: Date;
}

/**
 * Appends one hash-chained entry and moves audit_head, atomically. Safe to call inside the
 * caller's transaction (it nests as a savepoint), so an index change and its audit entry commit
 * or roll back together.
 */
export function appendAudit(
  db: Db,
  input: AuditEntryInput,
  options: AppendAuditOptions = {},
): AuditEntry {
  // Round-trip the details through canonical JSON so what is hashed is exactly what is stored
  // (undefined members dropped, key order fixed).
  const detailsJson = canonicalJson(input.details ?? {});
  const details = JSON.parse(detailsJson) as JsonObject;
  const row = appendAuditRow(db, (head) => {
    const entry = {
      seq: head.seq + 1,
      at: (options.now ?? new Date()).toISOString(),
      actor: input.actor,
      action: input.action,
      subject: input.subject ?? null,
      details,
      prevHash: head.hash,
    };
    return {
      seq: entry.seq,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject,
      details_json: detailsJson,
      prev_hash: entry.prevHash,
      hash: auditEntryHash(entry),
    };
  });
  return entryFromRow(row, details);
}
