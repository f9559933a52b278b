import type { Migration } from '../migration.ts';

/**
 * Which naming the archive's files follow: 1, the escaped names of earlier versions
 * (`rec_5fdemo_5f0001.wav`); 2, readable names (`rec_demo_0001.wav`). Every index starts at 1,
 * a new one too (it has nothing to rename); the engine renames the files in place on opening
 * (archive/rename-to-readable.ts) and then sets 2.
 */
export const archiveNamesMigration: Migration = {
  version: 15,
  name: 'archive-names',
  up(db) {
    db.exec(`
      CREATE TABLE archive_names (
        id     INTEGER PRIMARY KEY CHECK (id = 1),
        scheme INTEGER NOT NULL CHECK (scheme IN (1, 2))
      ) STRICT;
      INSERT INTO archive_names (id, scheme) VALUES (1, 1);
    `);
  },
};
