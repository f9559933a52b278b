import { listAuditRows } from '../db/audit-log.ts';
import type { Db } from '../db/sqlite.ts';
import { entryFromRow, type AuditEntry } from './audit-hash.ts';
import type { JsonObject } from './canonical-json.ts';

export interface ListAuditOptions {
  /** Newest first, starting below this seq (keyset paging); omit for the newest page. */
  beforeSeq?: number;
  limit?: number;
  action?: string;
  subject?: string;
}

/** A page of audit entries, newest first, for display. */
export function listAudit(db: Db, options: ListAuditOptions = {}): AuditEntry[] {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  return listAuditRows(db, { ...options, limit }).map((row) =>
    entryFromRow(row, parseDetails(row.details_json)),
  );
}

/** A tampered row must not break the audit view; verifyAudit reports it. */
function parseDetails(json: string): JsonObject {
  try {
    return JSON.parse(json) as JsonObject;
  } catch {
    return { unreadable: json };
  }
}
