import type { Db } from '../db/sqlite.ts';
import type { AuditEntry } from './append-audit.ts';
import type { JsonValue } from './canonical-json.ts';

export interface ListAuditOptions {
  /** Newest first, starting below this seq (keyset paging); omit for the newest page. */
  beforeSeq?: number;
  limit?: number;
  action?: string;
  subject?: string;
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details_json: string;
  prev_hash: string;
  hash: string;
}

/** A page of audit entries, newest first, for display. */
export function listAudit(db: Db, options: ListAuditOptions = {}): AuditEntry[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (options.beforeSeq !== undefined) {
    where.push('seq < ?');
    params.push(options.beforeSeq);
  }
  if (options.action !== undefined) {
    where.push('action = ?');
    params.push(options.action);
  }
  if (options.subject !== undefined) {
    where.push('subject = ?');
    params.push(options.subject);
  }
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const sql = `SELECT seq, at, actor, action, subject, details_json, prev_hash, hash FROM audit_log
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${limit}`;
  return (db.prepare(sql).all(...params) as AuditRow[]).map((row) => ({
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    details: parseDetails(row.details_json),
    prevHash: row.prev_hash,
    hash: row.hash,
  }));
}

/** A tampered row must not break the audit view; verifyAudit reports it. */
function parseDetails(json: string): { [key: string]: JsonValue } {
  try {
    return JSON.parse(json) as { [key: string]: JsonValue };
  } catch {
    return { unreadable: json };
  }
}
