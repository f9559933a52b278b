// The one place that names the SQLite handle type, so the rest of core does not depend on
// better-sqlite3's namespace layout.
import type Database from 'better-sqlite3';

export type Db = Database.Database;
