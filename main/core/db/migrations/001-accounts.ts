import type { Migration } from '../migration.ts';

/**
 * Provider accounts. `config_json` holds only non-secret settings (base URL, host, bot id,
 * client id, organisation id, the NAME of an environment variable); `secret_ref` names where the
 * app's secret store keeps the credential. There is deliberately no column a secret could go in.
 */
export const accountsMigration: Migration = {
  version: 1,
  name: 'accounts',
  up(db) {
    db.exec(`
      CREATE TABLE accounts (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
        provider    TEXT NOT NULL CHECK (provider IN ('kallglot', 'koreai', 'envoy')),
        config_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config_json)),
        secret_ref  TEXT,
        disabled    INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        auth_error  TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        -- Set instead of deleting when recordings still point at the account (see accounts.ts).
        removed_at  TEXT
      ) STRICT;

      -- Names are unique among live accounts, so a retired account's name can be reused.
      CREATE UNIQUE INDEX accounts_name ON accounts (name COLLATE NOCASE) WHERE removed_at IS NULL;
    `);
  },
};
