import type { Migration } from '../migration.ts';
import type { Db } from '../sqlite.ts';

/**
 * "No recording" (issue 14): a call or session that exists at the provider but has no media is
 * neither failed nor waiting. Recordings get the archive state `no_recording` and the remote
 * status `none`.
 *
 * SQLite cannot alter a CHECK constraint, and rebuilding `recordings` would cascade-delete the
 * job items, holds and checkpoints that reference it (foreign keys cannot be switched off inside
 * the migration's transaction). Widening an IN list only accepts more rows, so the stored table
 * text is edited in place, as SQLite documents for changes that leave every stored row valid
 * (lang_altertable.html, "Making Other Kinds Of Table Schema Changes"); the schema version is
 * bumped so every connection re-reads the schema.
 */
export const noRecordingMigration: Migration = {
  version: 10,
  name: 'no-recording',
  up(db) {
    const { sql } = db
      .prepare(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'recordings'`)
      .get() as { sql: string };
    const widened = widenOnce(
      widenOnce(sql, /(CHECK \(state IN \([^)]*'skipped')\)\)/, `$1, 'no_recording'))`),
      /(CHECK \(remote_status IN \([^)]*'gone')\)\)/,
      `$1, 'none'))`,
    );
    rewriteTableSql(db, 'recordings', widened);
  },
};

/** `sql` with the one match of `pattern` replaced; throws unless there is exactly one. */
function widenOnce(sql: string, pattern: RegExp, replacement: string): string {
  const matches = sql.match(new RegExp(pattern.source, 'g')) ?? [];
  if (matches.length !== 1) {
    throw new Error(
      `Migration 010: expected one ${pattern.source} in recordings, found ${matches.length}`,
    );
  }
  return sql.replace(pattern, replacement);
}

function rewriteTableSql(db: Db, table: string, sql: string): void {
  const version = db.pragma('schema_version', { simple: true }) as number;
  // better-sqlite3 opens connections in defensive mode, which refuses writes to sqlite_schema.
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    db.prepare(`UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?`).run(
      sql,
      table,
    );
    db.pragma(`schema_version = ${version + 1}`);
    db.pragma('writable_schema = OFF');
  } finally {
    db.unsafeMode(false);
  }
  const check = db.pragma('quick_check', { simple: true });
  if (check !== 'ok')
    throw new Error(`Migration 010 left the index inconsistent: ${String(check)}`);
}
