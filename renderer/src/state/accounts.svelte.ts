/* eslint-disable svelte/prefer-svelte-reactivity -- sets here are immutable values: each change
   assigns a new one to a $state.raw field, which is what makes it reactive. */
import type { RequestArgs } from '../../../main/core/contract/requests.ts';
import type { AccountTestResult, AccountView } from '../../../main/core/contract/types.ts';
import { call, describeFailure } from '../lib/failure.ts';
import type { ApiOf } from './types.ts';

type AccountsApi = ApiOf<
  | 'accountsList'
  | 'accountsAdd'
  | 'accountsUpdate'
  | 'accountsRemove'
  | 'accountsTest'
  | 'onAccountsChanged'
>;

/** A test's outcome as shown beside the account: the engine's verdict or the request's failure. */
export type TestOutcome = AccountTestResult | { ok: false; message: string; pending?: false };

/** The accounts list, kept fresh by `accountsChanged`, and the actions on it. */
export class AccountsState {
  list = $state.raw<AccountView[]>([]);
  loaded = $state(false);
  loading = $state(false);
  error = $state<string | null>(null);
  /** Last test outcome per account id; `testing` holds the ids whose test is running. */
  tests = $state.raw<Record<number, TestOutcome>>({});
  testing = $state.raw<ReadonlySet<number>>(new Set());

  constructor(private readonly api: AccountsApi) {}

  byId(id: number | null): AccountView | undefined {
    return this.list.find((account) => account.id === id);
  }

  /** Subscribes to changes made elsewhere (another window, the CLI); returns the unsubscribe. */
  connect(): () => void {
    return this.api.onAccountsChanged(() => void this.load());
  }

  async load(): Promise<void> {
    this.loading = true;
    const result = await call(() => this.api.accountsList({}));
    this.loading = false;
    if (result.ok) {
      this.list = result.value;
      this.loaded = true;
      this.error = null;
    } else {
      this.error = describeFailure(result);
    }
  }

  /** Adds an account; returns the error in words, or null. */
  async add(args: RequestArgs<'accountsAdd'>): Promise<string | null> {
    const result = await call(() => this.api.accountsAdd(args));
    if (!result.ok) return describeFailure(result);
    this.upsert(result.value);
    return null;
  }

  async update(args: RequestArgs<'accountsUpdate'>): Promise<string | null> {
    const result = await call(() => this.api.accountsUpdate(args));
    if (!result.ok) return describeFailure(result);
    this.upsert(result.value);
    return null;
  }

  async remove(id: number): Promise<string | null> {
    const result = await call(() => this.api.accountsRemove({ id }));
    if (!result.ok) return describeFailure(result);
    this.list = this.list.filter((account) => account.id !== id);
    return null;
  }

  async test(id: number): Promise<TestOutcome> {
    this.testing = new Set([...this.testing, id]);
    const result = await call(() => this.api.accountsTest({ id }));
    const outcome: TestOutcome = result.ok
      ? result.value
      : { ok: false, message: describeFailure(result) };
    this.tests = { ...this.tests, [id]: outcome };
    this.testing = new Set([...this.testing].filter((other) => other !== id));
    // A test clears or sets the account's authError: show the fresh state.
    void this.load();
    return outcome;
  }

  private upsert(account: AccountView): void {
    const index = this.list.findIndex((other) => other.id === account.id);
    this.list = index < 0 ? [...this.list, account] : this.list.with(index, account);
  }
}
