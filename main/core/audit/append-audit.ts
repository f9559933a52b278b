import type { Db } from '../db/sqlite.ts';
import type { AuditAction, AuditActor } from './actions.ts';
import { auditEntryHash } from './audit-hash.ts';
import type { JsonValue } from './canonical-json.ts';
import { canonicalJson } from './canonical-json.ts';

export interface AuditEntryInput {
  // `string & {}` keeps editor completion for the known names while allowing others.
  actor: AuditActor | (string & {});
  action: AuditAction | (string & {});
  /** What the entry is about, e.g. "recording:42", "account:3", "export:7". */
  subject?: string | null;
  details?: { [key: string]: JsonValue };
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: { [key: string]: JsonValue };
  prevHash: string;
  hash: string;
}

export interface AppendAuditOptions {
  now?: Date;
}

/**
 * Appends one hash-chained entry and moves audit_head, atomically. Safe to call inside the
 * caller's transaction (better-sqlite3 nests it as a savepoint), so an index change and its
 * audit entry commit or roll back together.
 */
export function appendAudit(
  db: Db,
  input: AuditEntryInput,
  options: AppendAuditOptions = {},
): AuditEntry {
  const append = db.transaction((): AuditEntry => {
    const head = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as
      { seq: number; hash: string } | undefined;
    if (!head) throw new Error('audit_head is missing: the audit log cannot be extended.');
    // Round-trip the details through canonical JSON so what is hashed is exactly what is stored
    // (undefined members dropped, key order fixed).
    const detailsJson = canonicalJson(input.details ?? {});
    const entry = {
      seq: head.seq + 1,
      at: (options.now ?? new Date()).toISOString(),
      actor: input.actor,
      action: input.action,
      subject: input.subject ?? null,
      details: JSON.parse(detailsJson) as { [key: string]: JsonValue },
      prevHash: head.hash,
    };
    const hash = auditEntryHash(entry);
    db.prepare(
      `INSERT INTO audit_log (seq, at, actor, action, subject, details_json, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      entry.seq,
      entry.at,
      entry.actor,
      entry.action,
      entry.subject,
      detailsJson,
      entry.prevHash,
      hash,
    );
    db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(entry.seq, hash);
    return { ...entry, hash };
  });
  // IMMEDIATE when outermost: two processes must not both read the same head and fork the chain.
  return db.inTransaction ? append() : append.immediate();
}
