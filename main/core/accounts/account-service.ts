import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import { AppError } from '../app-error.ts';
import type { AccountTestResult, AccountView, RateLimitInForce } from '../contract/types.ts';
import {
  addAccount,
  getAccount,
  listAccounts,
  removeAccount,
  updateAccount,
  type Account,
} from '../db/accounts.ts';
import { IndexInputError, RowNotFoundError } from '../db/errors.ts';
import { countAccountRecordings } from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';
import { inTransaction } from '../db/transaction.ts';
import { ProviderError } from '../providers/errors.ts';
import type { ProviderClient, ProviderKind } from '../providers/types.ts';
import {
  editedSettings,
  settingsFromInput,
  type AccountInput,
  type SecretInput,
} from './account-input.ts';
import { accountOrigin, requireTrustedAddress } from './account-origin.ts';
import { providerConfigFor } from './provider-config.ts';
import {
  envSecretRef,
  forgetSecret,
  resolveSecret,
  secretSource,
  storeEncryptedSecret,
  type SecretAccess,
} from './secret-ref.ts';
import type { createProviderClient } from '../providers/index.ts';
import { createRateLimiter } from '../providers/rate-limit.ts';
import type { RateLimiter } from '../providers/rate-limit.ts';
import { capabilitiesOf } from '../contract/providers.ts';

export interface AccountServiceDeps {
  db: Db;
  secrets: SecretAccess;
  actor: AuditActor;
  createClient: typeof createProviderClient;
  /** An account's status (its refused key) changed outside a request: open windows re-read it. */
  onStatusChanged?: () => void;
}

/** Accounts of the three providers: never a secret in the index, every change audited. */
export class AccountService {
  readonly #deps: AccountServiceDeps;
  readonly #clients = new Map<
    number,
    { key: string; client: ProviderClient; limiter: RateLimiter }
  >();

  constructor(deps: AccountServiceDeps) {
    this.#deps = deps;
  }

  list(): AccountView[] {
    return listAccounts(this.#deps.db).map((account) => this.view(account));
  }

  get(id: number): Account {
    const account = getAccount(this.#deps.db, id);
    if (!account || account.removedAt) throw new AppError('not_found', `No account with id ${id}.`);
    return account;
  }

  findByName(name: string): Account {
    const account = listAccounts(this.#deps.db).find((a) => a.name === name);
    if (!account) throw new AppError('not_found', `No account named "${name}".`);
    return account;
  }

  add(
    provider: ProviderKind,
    input: AccountInput & { name: string },
    secret: SecretInput,
  ): AccountView {
    const { db } = this.#deps;
    requireTrustedAddress(provider, settingsFromInput(provider, input));
    const secretRef = this.#storeSecret(secret);
    try {
      const account = inTransaction(db, () => {
        const created = addAccount(db, {
          provider,
          name: input.name,
          settings: settingsFromInput(provider, input),
          secretRef,
        } as Parameters<typeof addAccount>[1]);
        this.#audit('account.added', created, { provider });
        return created;
      });
      return this.view(account);
    } catch (error) {
      forgetSecret(this.#deps.secrets, secretRef);
      throw asAppError(error);
    }
  }

  update(id: number, input: AccountInput, secret: SecretInput | null): AccountView {
    const { db } = this.#deps;
    const current = this.get(id);
    const settings = editedSettings(current, input);
    requireTrustedAddress(current.provider, settings);
    if (
      !secret &&
      accountOrigin(current.provider, settings) !==
        accountOrigin(current.provider, current.settings)
    ) {
      // The stored key was entered for the old address; sending it to a new one on an edit
      // alone would hand it to whoever the address names.
      throw new AppError(
        'invalid_arguments',
        `Changing the address of "${current.name}" needs its key or secret again: the stored one is kept only for ${accountOrigin(current.provider, current.settings)}.`,
      );
    }
    const newRef = secret ? this.#storeSecret(secret) : undefined;
    // A refusal was about the settings or key it was given: new ones (a fixed Bot ID, say)
    // start without it, until the next request says otherwise.
    const reachChanged =
      newRef !== undefined || JSON.stringify(settings) !== JSON.stringify(current.settings);
    try {
      const account = inTransaction(db, () => {
        const updated = updateAccount(db, id, {
          name: input.name,
          settings,
          ...(newRef === undefined ? {} : { secretRef: newRef }),
          ...(reachChanged ? { authError: null } : {}),
        });
        this.#audit('account.updated', updated, { secretChanged: newRef !== undefined });
        return updated;
      });
      if (newRef !== undefined) forgetSecret(this.#deps.secrets, current.secretRef);
      this.#clients.delete(id);
      return this.view(account);
    } catch (error) {
      if (newRef !== undefined) forgetSecret(this.#deps.secrets, newRef);
      throw asAppError(error);
    }
  }

  remove(id: number): void {
    const { db } = this.#deps;
    const account = this.get(id);
    inTransaction(db, () => {
      const { removed } = removeAccount(db, id);
      this.#audit('account.removed', account, { removed });
    });
    forgetSecret(this.#deps.secrets, account.secretRef);
    this.#clients.delete(id);
  }

  /** One authenticated request; the answer says what is wrong in plain words. */
  async test(id: number, signal?: AbortSignal): Promise<AccountTestResult> {
    const account = this.get(id);
    try {
      await this.client(account).test(signal);
      this.#setAuthError(account, null);
      // The overview's "last successful test" reads this entry.
      this.#audit('account.tested', account, { ok: true });
      return {
        ok: true,
        message: `Connected to ${providerLabel(account.provider)}: the credentials work.`,
      };
    } catch (error) {
      if (error instanceof ProviderError) {
        if (error.kind === 'auth') this.#setAuthError(account, error.message);
        return { ok: false, message: error.message };
      }
      if (error instanceof AppError) return { ok: false, message: error.message };
      throw error;
    }
  }

  /** The account's provider client, one per account so its rate limiter is shared. */
  client(account: Account): ProviderClient {
    // An account stored before addresses were checked is not sent its key over plain http.
    requireTrustedAddress(account.provider, account.settings);
    const secret = resolveSecret(this.#deps.secrets, account.name, account.secretRef);
    const config = providerConfigFor(account, secret);
    const requestsPerMinute = account.settings.requestsPerMinute ?? null;
    const key = JSON.stringify([config, requestsPerMinute]);
    const cached = this.#clients.get(account.id);
    if (cached && cached.key === key) return cached.client;
    // The account's one limiter, kept beside its client so the account view can say which
    // limit is in force (the user's, the server's advertised one, or the provider's lowest).
    const limiter = createRateLimiter({
      requestsPerMinute:
        requestsPerMinute ?? capabilitiesOf(account.provider).defaultRequestsPerMinute,
      source: requestsPerMinute ? 'user' : 'provider',
    });
    const client = this.#deps.createClient(
      config,
      requestsPerMinute ? { requestsPerMinute, limiter } : { limiter },
    );
    this.#clients.set(account.id, { key, client, limiter });
    return client;
  }

  /** Stops an account whose key was refused; shown until a test or sync succeeds. */
  markAuthFailed(account: Account, message: string): void {
    this.#setAuthError(account, message);
  }

  markAuthOk(account: Account): void {
    if (account.authError) this.#setAuthError(account, null);
  }

  view(account: Account): AccountView {
    const counts = countAccountRecordings(this.#deps.db, account.id);
    const source = secretSource(account.secretRef);
    const s = account.settings as Record<string, unknown>;
    return {
      id: account.id,
      name: account.name,
      provider: account.provider,
      baseUrl: (s.baseUrl as string | undefined) ?? null,
      host: (s.host as string | undefined) ?? null,
      botId: (s.botId as string | undefined) ?? null,
      clientId: (s.clientId as string | undefined) ?? null,
      organizationId: (s.organizationId as string | null | undefined) ?? null,
      requestsPerMinute: account.settings.requestsPerMinute ?? null,
      rateLimit: this.#rateLimit(account),
      secretSource: source.source,
      secretEnv: source.env,
      authError: account.authError,
      createdAt: account.createdAt,
      recordingCount: counts.total,
      archivedCount: counts.archived,
    };
  }

  /** The limit in force: the live limiter's once the account has talked to its server. */
  #rateLimit(account: Account): RateLimitInForce {
    const live = this.#clients.get(account.id)?.limiter.inForce();
    if (live) return live;
    const userSet = account.settings.requestsPerMinute ?? null;
    return userSet
      ? { requestsPerMinute: userSet, source: 'user' }
      : {
          requestsPerMinute: capabilitiesOf(account.provider).defaultRequestsPerMinute,
          source: 'provider',
        };
  }

  #storeSecret(secret: SecretInput): string {
    if ('secretEnv' in secret) return envSecretRef(secret.secretEnv);
    return storeEncryptedSecret(this.#deps.secrets, secret.secret);
  }

  #setAuthError(account: Account, message: string | null): void {
    updateAccount(this.#deps.db, account.id, { authError: message });
    // A sync that finds the key refused (or working again) says so on the Accounts screen now.
    if (account.authError !== message) this.#deps.onStatusChanged?.();
  }

  #audit(action: string, account: Account, details: Record<string, string | boolean>): void {
    appendAudit(this.#deps.db, {
      actor: this.#deps.actor,
      action,
      subject: `account:${account.id}`,
      details: { name: account.name, ...details },
    });
  }
}

export function providerLabel(provider: ProviderKind): string {
  return { kallglot: 'Kallglot', koreai: 'Kore.ai SmartAssist', envoy: 'Envoy' }[provider];
}

/** Index input problems become messages the user can act on. */
export function asAppError(error: unknown): unknown {
  if (error instanceof IndexInputError) return new AppError('invalid_arguments', error.message);
  if (error instanceof RowNotFoundError) return new AppError('not_found', error.message);
  return error;
}
