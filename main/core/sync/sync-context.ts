import type { AccountService } from '../accounts/account-service.ts';
import type { AuditActor } from '../audit/actions.ts';
import type { Account } from '../db/accounts.ts';
import type { Db } from '../db/sqlite.ts';
import type { Channel, ProviderClient } from '../providers/types.ts';

/** What every step of one run of a sync job works with. */
export interface SyncContext {
  readonly db: Db;
  readonly accounts: AccountService;
  readonly archiveRoot: () => string;
  readonly actor: AuditActor;
  readonly jobId: number;
  readonly account: Account;
  readonly client: ProviderClient;
  /** The one channel the job asked for; null: every channel. */
  readonly channel: Channel | null;
  /** Download recordings disposed of under retention again; else discovery leaves them be. */
  readonly includeDisposed: boolean;
  /** An item's state or bytes changed (the manager throttles what reaches the UI). */
  readonly itemChanged: (recordingId: number, bytesDelta?: number) => void;
}
