import { AppError } from '../app-error.ts';
import type { EventBus } from '../api/event-bus.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import type { ScheduleView } from '../contract/compliance.ts';
import type { JobView } from '../contract/types.ts';
import type { ProviderName } from '../contract/vocabulary.ts';
import {
  deleteSchedule,
  getSchedule,
  listSchedules,
  recordScheduleRun,
  upsertSchedule,
  waitingRemoteIds,
  type ScheduleRow,
} from '../db/schedules.ts';
import type { Db } from '../db/sqlite.ts';
import { inWriteTransaction } from '../db/transaction.ts';
import type { SyncRequest } from '../sync/job-spec.ts';
import type { Clock } from './clock.ts';
import { nextRunAt, rollingWindow } from './next-run.ts';
import { idsInFolder } from './watched-folder.ts';

export interface ScheduleServiceDeps {
  db: Db;
  actor: AuditActor;
  events: EventBus;
  clock: Clock;
  /** Any account, removed ones too (a schedule's view still names them). */
  account: (accountId: number) => {
    id: number;
    name: string;
    provider: ProviderName;
    removedAt: string | null;
  };
  jobs: {
    start(accountId: number, request: SyncRequest): JobView;
    wait(jobId: number): Promise<JobView>;
  };
  /** Test seam: the ids of a watched folder. */
  idsInFolder?: typeof idsInFolder;
}

export interface ScheduleInput {
  accountId: number;
  everyHours: number | null;
  dailyAt: string | null;
  windowDays: number;
  watchFolder: string | null;
  enabled: boolean;
}

/**
 * Unattended syncs per account while the app is open: each due schedule starts a sync of its
 * rolling window (Envoy, Kore.ai: the last N days; Kallglot: the ids of its watched folder and
 * the recordings still waiting), records the run, and announces it (`scheduleRun`) so the app
 * can notify on failures.
 */
export class ScheduleService {
  readonly #deps: ScheduleServiceDeps;
  #timer: { cancel(): void } | null = null;
  #running = new Map<number, Promise<void>>();
  #started = false;

  constructor(deps: ScheduleServiceDeps) {
    this.#deps = deps;
  }

  list(): ScheduleView[] {
    return listSchedules(this.#deps.db).map((row) => this.#view(row));
  }

  set(input: ScheduleInput): ScheduleView {
    const account = this.#deps.account(input.accountId);
    if (account.removedAt !== null) {
      throw new AppError('not_found', `No account with id ${input.accountId}.`);
    }
    if (account.provider === 'kallglot' && input.watchFolder === null) {
      throw new AppError(
        'invalid_arguments',
        'Kallglot cannot list recordings by date: a Kallglot schedule needs a watched folder of CSV/TXT id files.',
      );
    }
    const { db, actor } = this.#deps;
    const row = inWriteTransaction(db, () => {
      const saved = upsertSchedule(db, input, this.#deps.clock.now());
      appendAudit(db, {
        actor,
        action: 'schedule.set',
        subject: `account:${account.id}`,
        details: {
          everyHours: input.everyHours,
          dailyAt: input.dailyAt,
          windowDays: input.windowDays,
          watchFolder: input.watchFolder,
          enabled: input.enabled,
        },
      });
      return saved;
    });
    this.#arm();
    return this.#view(row);
  }

  remove(accountId: number): { removed: boolean } {
    const { db, actor } = this.#deps;
    const removed = inWriteTransaction(db, () => {
      const gone = deleteSchedule(db, accountId);
      if (gone) {
        appendAudit(db, { actor, action: 'schedule.removed', subject: `account:${accountId}` });
      }
      return gone;
    });
    this.#arm();
    return { removed };
  }

  /** Runs one account's schedule now (the app's "Run now"); resolves once its sync started. */
  async runNow(accountId: number): Promise<ScheduleView> {
    const row = getSchedule(this.#deps.db, accountId);
    if (!row) throw new AppError('not_found', 'This account has no schedule.');
    await this.#run(row, { waitForJob: false });
    return this.#view(getSchedule(this.#deps.db, accountId)!);
  }

  /** Starts running due schedules (the app, while it is open). */
  start(): void {
    this.#started = true;
    this.#arm();
  }

  async stop(): Promise<void> {
    this.#started = false;
    this.#timer?.cancel();
    this.#timer = null;
    await Promise.allSettled([...this.#running.values()]);
  }

  /** Runs every schedule that is due now; resolves when their syncs have ended. */
  async runDue(): Promise<void> {
    const now = this.#deps.clock.now().getTime();
    const due = listSchedules(this.#deps.db).filter((row) => {
      const next = nextRunAt(row);
      return next !== null && next.getTime() <= now && !this.#running.has(row.accountId);
    });
    await Promise.all(due.map((row) => this.#run(row, { waitForJob: true })));
  }

  #arm(): void {
    this.#timer?.cancel();
    this.#timer = null;
    if (!this.#started) return;
    const nexts = listSchedules(this.#deps.db)
      .filter((row) => !this.#running.has(row.accountId))
      .map((row) => nextRunAt(row))
      .filter((at): at is Date => at !== null);
    if (nexts.length === 0) return;
    const soonest = Math.min(...nexts.map((at) => at.getTime()));
    const wait = Math.max(0, soonest - this.#deps.clock.now().getTime());
    this.#timer = this.#deps.clock.setTimer(() => {
      this.#timer = null;
      void this.runDue().finally(() => this.#arm());
    }, wait);
  }

  async #run(row: ScheduleRow, options: { waitForJob: boolean }): Promise<void> {
    const run = this.#runOnce(row, options).finally(() => this.#running.delete(row.accountId));
    this.#running.set(row.accountId, run);
    await run;
  }

  async #runOnce(row: ScheduleRow, options: { waitForJob: boolean }): Promise<void> {
    const { db, events, clock } = this.#deps;
    const at = clock.now();
    const account = this.#deps.account(row.accountId);
    const announce = (ok: boolean, message: string) =>
      events.emit('scheduleRun', { accountId: account.id, accountName: account.name, ok, message });
    let job: JobView;
    try {
      const request = await this.#request(row, account.provider, at);
      if (request === null) {
        recordScheduleRun(db, row.accountId, {
          at: at.toISOString(),
          jobId: null,
          result: 'Nothing to sync: the watched folder lists no ids and nothing is waiting.',
          error: null,
        });
        return;
      }
      job = this.#deps.jobs.start(row.accountId, request);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      recordScheduleRun(db, row.accountId, {
        at: at.toISOString(),
        jobId: null,
        result: null,
        error: message,
      });
      announce(false, `The scheduled sync of ${account.name} could not start: ${message}`);
      return;
    }
    recordScheduleRun(db, row.accountId, {
      at: at.toISOString(),
      jobId: job.id,
      result: 'Running',
      error: null,
    });
    const settle = async () => {
      const ended = await this.#deps.jobs.wait(job.id);
      const { totals } = ended;
      const failed = ended.state === 'failed' || totals.failed > 0;
      const result = `${totals.archived} archived, ${totals.failed} failed, ${totals.pending} waiting`;
      recordScheduleRun(db, row.accountId, {
        at: at.toISOString(),
        jobId: job.id,
        result,
        error: failed ? (ended.error ?? `${totals.failed} recording(s) failed`) : null,
      });
      announce(!failed, `Scheduled sync of ${account.name}: ${result}.`);
    };
    if (options.waitForJob) await settle();
    else void settle();
  }

  /** What one run asks for, or null when there is nothing to ask. */
  async #request(row: ScheduleRow, provider: ProviderName, now: Date): Promise<SyncRequest | null> {
    const base: SyncRequest = {
      sessions: [],
      recordingIds: [],
      callIds: [],
      includeDisposed: false,
    };
    if (provider !== 'kallglot') return { ...base, ...rollingWindow(row.windowDays, now) };
    const waiting = waitingRemoteIds(this.#deps.db, row.accountId);
    const folder = row.watchFolder
      ? await (this.#deps.idsInFolder ?? idsInFolder)(row.watchFolder)
      : { sessions: [], recordingIds: [] };
    const recordingIds = [...new Set([...folder.recordingIds, ...waiting])];
    if (folder.sessions.length === 0 && recordingIds.length === 0) return null;
    return { ...base, sessions: folder.sessions.map((id) => ({ id })), recordingIds };
  }

  #view(row: ScheduleRow): ScheduleView {
    const account = this.#deps.account(row.accountId);
    const next = nextRunAt(row);
    return {
      accountId: row.accountId,
      accountName: account.name,
      provider: account.provider,
      everyHours: row.everyHours,
      dailyAt: row.dailyAt,
      windowDays: row.windowDays,
      watchFolder: row.watchFolder,
      enabled: row.enabled,
      lastRunAt: row.lastRunAt,
      lastJobId: row.lastJobId,
      lastResult: row.lastResult,
      lastError: row.lastError,
      nextRunAt: next?.toISOString() ?? null,
    };
  }
}
