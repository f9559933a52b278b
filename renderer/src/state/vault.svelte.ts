import type { RequestArgs } from '../../../main/core/contract/requests.ts';
import type {
  VaultStatus,
  VaultTestResult,
  VaultVerifyResult,
} from '../../../main/core/contract/vault.ts';
import { attempt, loadInto } from './engine-calls.ts';
import type { ApiOf } from './types.ts';

type VaultApi = ApiOf<
  | 'vaultStatus'
  | 'vaultAdd'
  | 'vaultTest'
  | 'vaultSync'
  | 'vaultVerify'
  | 'accountsList'
  | 'onVaultChanged'
>;

/** What the form sends: the target and the two keys (sent once, never read back). */
export type VaultTargetForm = Omit<RequestArgs<'vaultAdd'>, 'attach'>;

/** What "Open a team vault" brought into this archive, as the officer reads it. */
export interface AttachOutcome {
  recordings: number;
  accounts: number;
}

/** The team vault of this data directory: its status (kept fresh by vaultChanged) and actions. */
export class VaultState {
  status = $state.raw<VaultStatus | null>(null);
  loaded = $state(false);
  error = $state<string | null>(null);
  test = $state.raw<VaultTestResult | null>(null);
  verify = $state.raw<VaultVerifyResult | null>(null);
  attached = $state.raw<AttachOutcome | null>(null);
  /** The action running now (one at a time from this panel), for its button's label. */
  running = $state<'add' | 'attach' | 'test' | 'sync' | 'verify' | null>(null);

  constructor(private readonly api: VaultApi) {}

  /** Follows the engine's vault events (uploads, back-fill, attach); returns the unsubscribe. */
  connect(): () => void {
    return this.api.onVaultChanged(() => void this.load());
  }

  load(): Promise<void> {
    return loadInto(
      this,
      () => this.api.vaultStatus({}),
      (status) => (this.status = status),
    );
  }

  /**
   * Adds the vault (the engine tests the bucket first and refuses one without Object Lock), or
   * opens a team vault: the same target, and this archive is filled from it. Returns the
   * failure in words, or null. The keys go to the engine's secret store and are never kept here.
   */
  async add(form: VaultTargetForm, attach: boolean): Promise<string | null> {
    this.running = attach ? 'attach' : 'add';
    this.attached = null;
    this.test = null;
    const failure = await attempt(
      () => this.api.vaultAdd({ ...form, attach }),
      (status) => (this.status = status),
    );
    if (failure === null && attach) await this.#countAttached();
    this.running = null;
    return failure;
  }

  async #countAttached(): Promise<void> {
    await attempt(
      () => this.api.accountsList({}),
      (accounts) => {
        const filled = accounts.filter((account) => account.archivedCount > 0);
        this.attached = {
          recordings: filled.reduce((sum, account) => sum + account.archivedCount, 0),
          accounts: filled.length,
        };
      },
    );
  }

  async runTest(): Promise<string | null> {
    this.running = 'test';
    this.test = null;
    const failure = await attempt(
      () => this.api.vaultTest({}),
      (result) => (this.test = result),
    );
    this.running = null;
    return failure;
  }

  /** Uploads what is not in the vault yet (the back-fill) and resumes an interrupted upload. */
  async sync(): Promise<string | null> {
    this.running = 'sync';
    const failure = await attempt(
      () => this.api.vaultSync({}),
      () => undefined,
    );
    this.running = null;
    await this.load();
    return failure;
  }

  /** Re-reads every object's hash, or a random sample of `sample` objects. */
  async runVerify(sample: number | null): Promise<string | null> {
    this.running = 'verify';
    this.verify = null;
    const failure = await attempt(
      () => this.api.vaultVerify({ sample }),
      (result) => (this.verify = result),
    );
    this.running = null;
    await this.load();
    return failure;
  }
}
