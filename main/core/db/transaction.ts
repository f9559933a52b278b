import type { Db } from './sqlite.ts';

/**
 * Runs `work` in one transaction: every index change and audit entry it makes commits or rolls
 * back together. Nested calls become savepoints of the outer transaction.
 */
export function inTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work)();
}

/**
 * Like inTransaction, but when outermost it takes the write lock before reading (IMMEDIATE), so
 * another process cannot read the same rows in between and write a conflicting change.
 */
export function inWriteTransaction<T>(db: Db, work: () => T): T {
  const transaction = db.transaction(work);
  return db.inTransaction ? transaction() : transaction.immediate();
}
