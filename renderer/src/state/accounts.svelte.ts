/* eslint-disable svelte/prefer-svelte-reactivity -- sets here are immutable values: each change
   assigns a new one to a $state.raw field, which is what makes it reactive. */
import type { RequestArgs } from '../../../main/core/contract/requests.ts';
import type { AccountTestResult, AccountView } from '../../../main/core/contract/types.ts';
import { call, describeFailure } from '../lib/failure.ts';
import { attempt, loadInto, upsertById } from './engine-calls.ts';
import type { ApiOf } from './types.ts';

type AccountsApi = ApiOf<
  | 'accountsList'
  | 'accountsAdd'
  | 'accountsUpdate'
  | 'accountsRemove'
  | 'accountsTest'
  | 'onAccountsChanged'
  | 'onLibraryChanged'
>;

/** Coalesces the library's change events during a sync into one recount of the accounts. */
export const COUNTS_REFRESH_MS = 1000;

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
    const stopAccounts = this.api.onAccountsChanged(() => void this.load());
    // "3 of 3 recordings archived" follows a sync without a reload.
    let timer: ReturnType<typeof setTimeout> | null = null;
    let again = false;
    // Throttled, with one more read after the burst: the final counts are always shown.
    const schedule = (): void => {
      if (timer !== null) {
        again = true;
        return;
      }
      timer = setTimeout(() => {
        timer = null;
        void this.load();
        if (again) {
          again = false;
          schedule();
        }
      }, COUNTS_REFRESH_MS);
    };
    const stopLibrary = this.api.onLibraryChanged(schedule);
    return () => {
      stopAccounts();
      stopLibrary();
      if (timer !== null) clearTimeout(timer);
    };
  }

  async load(): Promise<void> {
    this.loading = true;
    await loadInto(
      this,
      () => this.api.accountsList({}),
      (list) => (this.list = list),
    );
    this.loading = false;
  }

  /** Adds an account; returns the error in words, or null. */
  add(args: RequestArgs<'accountsAdd'>): Promise<string | null> {
    return attempt(
      () => this.api.accountsAdd(args),
      (account) => this.upsert(account),
    );
  }

  update(args: RequestArgs<'accountsUpdate'>): Promise<string | null> {
    return attempt(
      () => this.api.accountsUpdate(args),
      (account) => {
        this.upsert(account);
        // The last test judged the settings just replaced: its verdict no longer holds.
        if (account.id in this.tests) {
          const tests = { ...this.tests };
          delete tests[account.id];
          this.tests = tests;
        }
      },
    );
  }

  remove(id: number): Promise<string | null> {
    return attempt(
      () => this.api.accountsRemove({ id }),
      () => (this.list = this.list.filter((account) => account.id !== id)),
    );
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
    this.list = upsertById(this.list, account, 'last');
  }
}
