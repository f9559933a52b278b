import { IndexInputError, RowNotFoundError } from './errors.ts';
import type { ProviderKind } from '../providers/types.ts';
import { accountSettingsSchema, secretRefSchema } from './account-settings.ts';
import type {
  AccountSettings,
  EnvoySettings,
  KallglotSettings,
  KoreaiSettings,
} from './account-settings.ts';
import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';
import { inTransaction } from './transaction.ts';

interface AccountBase {
  id: number;
  name: string;
  secretRef: string | null;
  disabled: boolean;
  /** Why the last request was refused (expired key…); cleared on the next success. */
  authError: string | null;
  createdAt: string;
  updatedAt: string;
  /** Set when removed while recordings still refer to it. */
  removedAt: string | null;
}

export type Account = AccountBase &
  (
    | { provider: 'kallglot'; settings: KallglotSettings }
    | { provider: 'koreai'; settings: KoreaiSettings }
    | { provider: 'envoy'; settings: EnvoySettings }
  );

export type NewAccount = AccountSettings & {
  name: string;
  secretRef?: string | null;
};

export interface AccountChanges {
  name?: string;
  /** Replaces the settings; the provider of an account never changes. */
  settings?: AccountSettings['settings'];
  secretRef?: string | null;
  disabled?: boolean;
  authError?: string | null;
}

interface AccountRow {
  id: number;
  name: string;
  provider: ProviderKind;
  config_json: string;
  secret_ref: string | null;
  disabled: number;
  auth_error: string | null;
  created_at: string;
  updated_at: string;
  removed_at: string | null;
}

const COLUMNS =
  'id, name, provider, config_json, secret_ref, disabled, auth_error, created_at, updated_at, removed_at';

export function addAccount(db: Db, input: NewAccount, now: Date = new Date()): Account {
  const { provider, settings } = parseSettings(input.provider, input.settings);
  const secretRef = parseSecretRef(input.secretRef ?? null);
  const name = parseName(input.name);
  const at = now.toISOString();
  const row = withUniqueName(name, () =>
    cachedStatement(
      db,
      `INSERT INTO accounts (name, provider, config_json, secret_ref, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
    ).get(name, provider, JSON.stringify(settings), secretRef, at, at),
  ) as AccountRow;
  return toAccount(row);
}

export function listAccounts(db: Db, options: { includeRemoved?: boolean } = {}): Account[] {
  const where = options.includeRemoved ? '' : 'WHERE removed_at IS NULL';
  const rows = cachedStatement(
    db,
    `SELECT ${COLUMNS} FROM accounts ${where} ORDER BY name COLLATE NOCASE, id`,
  ).all() as AccountRow[];
  return rows.map(toAccount);
}

export function getAccount(db: Db, id: number): Account | null {
  const row = cachedStatement(db, `SELECT ${COLUMNS} FROM accounts WHERE id = ?`).get(id) as
    AccountRow | undefined;
  return row ? toAccount(row) : null;
}

export function updateAccount(
  db: Db,
  id: number,
  changes: AccountChanges,
  now: Date = new Date(),
): Account {
  return inTransaction(db, (): Account => {
    const current = getAccount(db, id);
    if (!current) throw new RowNotFoundError('accounts', id);
    const settings =
      changes.settings === undefined
        ? current.settings
        : parseSettings(current.provider, changes.settings).settings;
    const name = changes.name === undefined ? current.name : parseName(changes.name);
    const statement = cachedStatement(
      db,
      `UPDATE accounts SET name = ?, config_json = ?, secret_ref = ?, disabled = ?,
         auth_error = ?, updated_at = ?
       WHERE id = ? RETURNING ${COLUMNS}`,
    );
    const row = withUniqueName(name, () =>
      statement.get(
        name,
        JSON.stringify(settings),
        changes.secretRef === undefined ? current.secretRef : parseSecretRef(changes.secretRef),
        (changes.disabled ?? current.disabled) ? 1 : 0,
        changes.authError === undefined ? current.authError : changes.authError,
        now.toISOString(),
        id,
      ),
    ) as AccountRow;
    return toAccount(row);
  });
}

/**
 * Removes an account. If the index still holds recordings of it (archived files must stay
 * findable), the row is retired instead — hidden from listAccounts, name free for reuse —
 * and its jobs are kept with it. The caller deletes the secret the account referred to.
 */
export function removeAccount(
  db: Db,
  id: number,
  now: Date = new Date(),
): { removed: 'deleted' | 'retired' } {
  return inTransaction(db, (): { removed: 'deleted' | 'retired' } => {
    if (!getAccount(db, id)) throw new RowNotFoundError('accounts', id);
    const inUse = cachedStatement(db, 'SELECT 1 FROM recordings WHERE account_id = ? LIMIT 1').get(
      id,
    );
    if (inUse) {
      cachedStatement(
        db,
        'UPDATE accounts SET removed_at = ?, updated_at = ?, disabled = 1 WHERE id = ?',
      ).run(now.toISOString(), now.toISOString(), id);
      return { removed: 'retired' };
    }
    cachedStatement(db, 'DELETE FROM accounts WHERE id = ?').run(id);
    return { removed: 'deleted' };
  });
}

/** An account's name and provider, removed or not, without reading its settings. */
export function accountLabel(db: Db, id: number): { name: string; provider: ProviderKind } | null {
  const row = cachedStatement(db, 'SELECT name, provider FROM accounts WHERE id = ?').get(id) as
    { name: string; provider: ProviderKind } | undefined;
  return row ?? null;
}

/** The id of the (not removed) account of that provider with exactly this name. */
export function findAccountId(db: Db, name: string, provider: ProviderKind): number | null {
  const row = cachedStatement(
    db,
    'SELECT id FROM accounts WHERE name = ? AND provider = ? AND removed_at IS NULL',
  ).get(name, provider) as { id: number } | undefined;
  return row?.id ?? null;
}

/** `name`, or "name (2)", "name (3)"… whichever no account in use has (ignoring case). */
export function unusedAccountName(db: Db, name: string): string {
  const taken = (candidate: string) =>
    cachedStatement(
      db,
      'SELECT 1 FROM accounts WHERE name = ? COLLATE NOCASE AND removed_at IS NULL',
    ).get(candidate) !== undefined;
  if (!taken(name)) return name;
  for (let n = 2; ; n++) if (!taken(`${name} (${n})`)) return `${name} (${n})`;
}

/**
 * Recreates an account the archive names but the index lost: disabled, with no secret, under
 * its old id when `id` is given. Returns its id.
 */
export function restoreAccount(
  db: Db,
  input: AccountSettings & { id: number | null; name: string },
  now: Date = new Date(),
): number {
  const { provider, settings } = parseSettings(input.provider, input.settings);
  const at = now.toISOString();
  const row = cachedStatement(
    db,
    `INSERT INTO accounts (id, name, provider, config_json, secret_ref, disabled, created_at,
       updated_at)
     VALUES (?, ?, ?, ?, NULL, 1, ?, ?) RETURNING id`,
  ).get(input.id, input.name, provider, JSON.stringify(settings), at, at) as {
    id: number;
  };
  return row.id;
}

function parseSettings(provider: ProviderKind, settings: unknown): AccountSettings {
  const parsed = accountSettingsSchema.safeParse({ provider, settings });
  if (!parsed.success) {
    // Issue paths and messages only: zod messages never echo the rejected values.
    const detail = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new IndexInputError(`Invalid ${provider} account settings: ${detail}`);
  }
  return parsed.data;
}

/** Turns SQLite's unique-index failure into a message a person can act on. */
function withUniqueName<T>(name: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new IndexInputError(`An account named "${name}" already exists.`);
    }
    throw error;
  }
}

function parseSecretRef(value: string | null): string | null {
  if (value === null) return null;
  if (!secretRefSchema.safeParse(value).success) {
    throw new IndexInputError('Invalid secret reference (expected something like env:NAME).');
  }
  return value;
}

function parseName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 200) {
    throw new IndexInputError('An account name must be 1 to 200 characters.');
  }
  return trimmed;
}

function toAccount(row: AccountRow): Account {
  const { provider, settings } = parseSettings(row.provider, JSON.parse(row.config_json));
  return {
    id: row.id,
    name: row.name,
    provider,
    settings,
    secretRef: row.secret_ref,
    disabled: row.disabled === 1,
    authError: row.auth_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    removedAt: row.removed_at,
  } as Account;
}
