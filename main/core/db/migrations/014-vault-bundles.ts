import type { Migration } from '../migration.ts';

/**
 * The vault's day bundles (issue 17): immutable objects under `index/` holding the sidecars of
 * the recordings vaulted in one batch on one recording day, so attaching a vault reads a few
 * objects per day instead of one per recording. `vault_bundles`: the bundle objects this data
 * directory wrote (checked by a HEAD) or read at attach. `vault_bundled`: which recording
 * (by its stable media object key, the same for every officer) some bundle already covers;
 * a recording is bundled again only when it has no row here.
 */
export const vaultBundlesMigration: Migration = {
  version: 14,
  name: 'vault-bundles',
  up(db) {
    db.exec(`
      CREATE TABLE vault_bundles (
        object_key    TEXT PRIMARY KEY,
        sha256        TEXT NOT NULL,
        size          INTEGER NOT NULL,
        version_id    TEXT,
        lock_mode     TEXT,
        retain_until  TEXT,
        recordings    INTEGER NOT NULL,
        written       INTEGER NOT NULL CHECK (written IN (0, 1)),
        at            TEXT NOT NULL
      ) STRICT;
      CREATE TABLE vault_bundled (
        media_key   TEXT PRIMARY KEY,
        bundle_key  TEXT NOT NULL REFERENCES vault_bundles (object_key)
      ) STRICT;
    `);
  },
};
