import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';
import { inWriteTransaction } from './transaction.ts';

// The audit log's rows as stored. What a row means (its hash chain) is core/audit's business;
// this file only reads and writes them.

/** One row of audit_log, its details as the canonical JSON text that was hashed. */
export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details_json: string;
  prev_hash: string;
  hash: string;
}

/** The newest entry's seq and hash, kept apart so deleting the newest rows shows. */
export interface AuditHead {
  seq: number;
  hash: string;
}

export interface AuditRowFilter {
  /** Only rows below this seq (keyset paging, newest first). */
  beforeSeq?: number;
  action?: string;
  subject?: string;
  limit: number;
}

const COLUMNS = 'seq, at, actor, action, subject, details_json, prev_hash, hash';

export function readAuditHead(db: Db): AuditHead | null {
  const head = cachedStatement(db, 'SELECT seq, hash FROM audit_head WHERE id = 1').get() as
    AuditHead | undefined;
  return head ?? null;
}

/**
 * Appends the row `next` derives from the current head and moves the head to it, atomically.
 * Inside the caller's transaction it is a savepoint (an index change and its entry commit
 * together); outermost it is IMMEDIATE, so two processes never extend the same head and fork
 * the chain.
 */
export function appendAuditRow(db: Db, next: (head: AuditHead) => AuditRow): AuditRow {
  return inWriteTransaction(db, () => {
    const head = readAuditHead(db);
    if (!head) throw new Error('audit_head is missing: the audit log cannot be extended.');
    const row = next(head);
    cachedStatement(
      db,
      `INSERT INTO audit_log (${COLUMNS}) VALUES (@seq, @at, @actor, @action, @subject,
         @details_json, @prev_hash, @hash)`,
    ).run(row);
    cachedStatement(db, 'UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(
      row.seq,
      row.hash,
    );
    return row;
  });
}

/** A page of rows, newest first. */
export function listAuditRows(db: Db, filter: AuditRowFilter): AuditRow[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.beforeSeq !== undefined) {
    where.push('seq < ?');
    params.push(filter.beforeSeq);
  }
  if (filter.action !== undefined) {
    where.push('action = ?');
    params.push(filter.action);
  }
  if (filter.subject !== undefined) {
    where.push('subject = ?');
    params.push(filter.subject);
  }
  const sql = `SELECT ${COLUMNS} FROM audit_log
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
  return cachedStatement(db, sql).all(...params, filter.limit) as AuditRow[];
}

/** Every row, oldest first, read one at a time (constant memory however long the log is). */
export function auditRowsInOrder(db: Db): IterableIterator<AuditRow> {
  // Not the cached statement: a statement being iterated cannot serve anyone else meanwhile.
  return db
    .prepare(`SELECT ${COLUMNS} FROM audit_log ORDER BY seq`)
    .iterate() as IterableIterator<AuditRow>;
}

/** Names of the triggers on audit_log (the append-only protection among them). */
export function auditLogTriggers(db: Db): string[] {
  const rows = cachedStatement(
    db,
    "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'audit_log'",
  ).all() as { name: string }[];
  return rows.map((row) => row.name);
}
