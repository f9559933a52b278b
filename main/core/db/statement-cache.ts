import type { Statement } from 'better-sqlite3';
import type { Db } from './sqlite.ts';

// Compiling a statement costs more than running it; a sync upserts thousands of rows with the
// same few statements. Cached per connection, and dropped with it (WeakMap).
const caches = new WeakMap<Db, Map<string, Statement>>();

/** The prepared statement for `sql` on this connection, compiled once. */
export function cachedStatement(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
