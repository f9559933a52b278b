import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';
import type { AuditRow } from './audit-log.ts';

// The reads an export package needs from the audit log: which entries are about the exported
// recordings, and every entry from the first of those to a checkpoint's head (a recipient needs
// all of them to recompute the chain; see custody/bag/README text).

const COLUMNS = 'seq, at, actor, action, subject, details_json, prev_hash, hash';

/** Seqs of the entries whose subject is one of `subjects`, up to and including `maxSeq`. */
export function auditSeqsForSubject(db: Db, subject: string, maxSeq: number): number[] {
  const rows = cachedStatement(
    db,
    'SELECT seq FROM audit_log WHERE subject = ? AND seq <= ? ORDER BY seq',
  ).all(subject, maxSeq) as { seq: number }[];
  return rows.map((row) => row.seq);
}

/** Every row with fromSeq <= seq <= toSeq, oldest first, read one at a time. */
export function auditRowsBetween(
  db: Db,
  fromSeq: number,
  toSeq: number,
): IterableIterator<AuditRow> {
  // Not the cached statement: a statement being iterated cannot serve anyone else meanwhile.
  return db
    .prepare(`SELECT ${COLUMNS} FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq`)
    .iterate(fromSeq, toSeq) as IterableIterator<AuditRow>;
}
