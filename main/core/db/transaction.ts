import type { Db } from './sqlite.ts';

/**
 * Runs `work` in one transaction: every index change and audit entry it makes commits or rolls
 * back together. Nested calls become savepoints of the outer transaction.
 *
 * Outermost it is IMMEDIATE: it takes the write lock before its first read. A DEFERRED
 * transaction that reads and then writes fails at once with SQLITE_BUSY_SNAPSHOT when another
 * process (the app beside a `recvault sync`) committed in between, and busy_timeout cannot help
 * it; an IMMEDIATE one waits its turn (busy_timeout) and then reads the latest rows.
 */
export function inTransaction<T>(db: Db, work: () => T): T {
  const transaction = db.transaction(work);
  return db.inTransaction ? transaction() : transaction.immediate();
}

/** The same as inTransaction (every write transaction is IMMEDIATE); kept for its callers. */
export const inWriteTransaction = inTransaction;

/**
 * Runs `work`, which only reads, on one snapshot of the index: rows read at its start and at its
 * end agree even when another process commits meanwhile (WAL readers never block writers).
 */
export function inReadTransaction<T>(db: Db, work: () => T): T {
  const transaction = db.transaction(work);
  return db.inTransaction ? transaction() : transaction.deferred();
}
