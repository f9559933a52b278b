import { DatabaseTooNewError } from './errors.ts';
import type { Migration } from './migration.ts';
import type { Db } from './sqlite.ts';

export interface MigrationResult {
  from: number;
  to: number;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the migrations newer than `PRAGMA user_version`, each in its own IMMEDIATE
 * transaction together with the version bump, so a crash leaves the schema at a known step and
 * two processes (app and CLI) opening the same index cannot both apply the same step.
 */
export function applyMigrations(db: Db, migrations: readonly Migration[]): MigrationResult {
  assertContiguous(migrations);
  const known = migrations.length;
  const from = schemaVersion(db);
  if (from > known) throw new DatabaseTooNewError(from, known);

  for (const migration of migrations) {
    const step = db.transaction(() => {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      const current = schemaVersion(db);
      if (current > known) throw new DatabaseTooNewError(current, known);
      if (current >= migration.version) return;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    });
    step.immediate();
  }
  return { from, to: schemaVersion(db) };
}

function assertContiguous(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `Migration ${migration.name} has version ${migration.version}, expected ${index + 1}.`,
      );
    }
  });
}
