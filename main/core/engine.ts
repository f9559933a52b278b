import { buildOverview } from './overview/overview.ts';
import fs from 'node:fs';
import path from 'node:path';
import { AccountService } from './accounts/account-service.ts';
import { AppError } from './app-error.ts';
import {
  secretStorageStatus,
  type SecretAccess,
  type SecretOverride,
} from './accounts/secret-ref.ts';
import type { HandlerTable } from './api/dispatch.ts';
import { EventBus } from './api/event-bus.ts';
import { PRIVATE_DIR_MODE } from './file-modes.ts';
import { DestinationGuard } from './destinations/destination-guard.ts';
import { buildHandlers } from './api/handlers.ts';
import type { AuditActor } from './audit/actions.ts';
import { osUserName } from './audit/os-user.ts';
import { RecordingCustody } from './custody/recording-custody.ts';
import { renameAfterReindex, renameToReadableNames } from './archive/rename-to-readable.ts';
import type { AppInfo } from './contract/types.ts';
import { listAccounts } from './db/accounts.ts';
import { openDatabase, optimizeDatabase } from './db/open-database.ts';
import type { Db } from './db/sqlite.ts';
import { DragFiles } from './drag/drag-files.ts';
import { ExportManager } from './export/export-manager.ts';
import { locateFfmpeg } from './ffmpeg/locate.ts';
import { IntegrityService } from './integrity/integrity-service.ts';
import { LibraryService } from './library/library-service.ts';
import { recordingIdsByRemoteId } from './library/remote-ids.ts';
import { completenessReport } from './report/completeness-report.ts';
import { MediaService } from './media/media-service.ts';
import { dataPaths, type DataPaths } from './paths.ts';
import type { PlatformServices } from './platform.ts';
import { createProviderClient } from './providers/index.ts';
import { SecretStore } from './secrets/secret-store.ts';
import { SettingsService } from './settings/settings-service.ts';
import { SettingsStore } from './settings/settings-store.ts';
import { ArchiverLock } from './sync/archiver-lock.ts';
import { JobManager } from './sync/job-manager.ts';
import { CustodyService } from './custody/custody-service.ts';
import { FixitySchedule } from './custody/fixity-schedule.ts';
import { encryptedKeySource, type SigningKeySource } from './custody/signing-key.ts';
import { DisposalService } from './compliance/disposal-service.ts';
import { HoldService } from './compliance/hold-service.ts';
import { systemClock, type Clock } from './schedule/clock.ts';
import { printSchedule } from './schedule/print.ts';
import { ScheduleService } from './schedule/schedule-service.ts';
import { APP_NAME, APP_VERSION } from './version.ts';
import { killAfterPuts, VaultService } from './vault/vault-service.ts';
import { vaultRetention } from './vault/vault-retention.ts';
import { keepOfflineCopy } from './vault/offline-copy.ts';
import { VaultReader } from './vault/read-object.ts';
import { stageVaultSources } from './vault/stage-for-export.ts';

export type { PlatformServices } from './platform.ts';

/**
 * How the engine is opened. Where the app, the bridge and the CLI differ, it is one of these
 * choices (each shell states its own), never a check on which transport is calling. The
 * defaults are the app's.
 */
export interface EngineOptions {
  dataDir: string;
  platform?: Partial<PlatformServices>;
  env?: NodeJS.ProcessEnv;
  /** A secret given for this run only, for the one account named (the CLI reading stdin). */
  secretOverride?: SecretOverride | null;
  /** Resume sync jobs a crash or quit interrupted (the app does; the CLI asks for it). */
  resumeInterrupted?: boolean;
  /** Overrides the saved concurrency for this run (the CLI's --concurrency). */
  concurrency?: number;
  /** Who the audit log names for what this engine's user asks; default: the OS user name. */
  actor?: AuditActor;
  /**
   * Re-run a finished job by itself when recordings the provider was still preparing come due
   * (an app that stays open); else they stay pending for the next run (the CLI).
   */
  retryPendingLater?: boolean;
  /** Longest a job waits in-run for recordings the provider is still preparing. */
  maxInRunWaitMs?: number;
  /** Refresh the index statistics this long after opening (an app that stays open); null: never. */
  statisticsRefreshMs?: number | null;
  /** What `appInfo` says the renderer talks through. */
  transportName?: AppInfo['transport'];
  /** Serve the channels only the command line uses (COMMAND_LINE_CHANNELS). */
  commandLineChannels?: boolean;
  /** Test seam: the longest wait before the app re-runs a job with waiting recordings. */
  retryLaterMaxMs?: number;
  /** Run the accounts' schedules while the engine is open (the app; never the CLI). */
  runSchedules?: boolean;
  /** Test seam: the scheduler's clock. */
  clock?: Clock;
  /**
   * Where the installation's signing key is kept (issue 12). Default: with the platform's
   * cipher (the app's keychain), in its own file beside the index; none without a cipher.
   */
  signingKey?: SigningKeySource | null;
  /** Make the key at the first checkpoint when none was ever made (the app); the CLI asks. */
  createSigningKeyOnFirstUse?: boolean;
  /** A time-stamping authority for this run, over the setting (RECVAULT_TSA_URL). */
  tsaUrl?: string | null;
  /** Verify the archive on the custody schedule (weekly) while open: the app. */
  scheduledVerify?: boolean;
  /** Test seam: how provider clients are made. */
  createClient?: typeof createProviderClient;
}

/** The app's choices, the defaults of every option above. */
const APP_DEFAULTS = {
  retryPendingLater: true,
  // The app retries waiting recordings later by itself, so a job need not sit "running".
  maxInRunWaitMs: 15_000,
  // A cold ANALYZE of a large index takes seconds: off the open path, once it has settled.
  statisticsRefreshMs: 60_000,
  transportName: 'bridge',
  commandLineChannels: false,
  createSigningKeyOnFirstUse: true,
  scheduledVerify: true,
} as const satisfies Partial<EngineOptions>;

export interface Engine {
  paths: DataPaths;
  events: EventBus;
  handlers: HandlerTable;
  db: Db;
  actor: AuditActor;
  accounts: AccountService;
  jobs: JobManager;
  library: LibraryService;
  /** The media URLs' answers (the app's protocol and the bridge's route). */
  media: MediaService;
  exports: ExportManager;
  settings: SettingsStore;
  drag: DragFiles;
  platform: PlatformServices;
  custody: CustodyService;
  archiveDir(): string;
  ffmpegPath(): string;
  close(): Promise<void>;
}

/** Opens the archive in `dataDir`, builds the services and, from them, the handler table. */
export async function openEngine(options: EngineOptions): Promise<Engine> {
  const choices = { ...APP_DEFAULTS, ...definedOnly(options) };
  const actor = choices.actor ?? osUserName({ ...(options.env ? { env: options.env } : {}) });
  const paths = dataPaths(options.dataDir);
  await fs.promises.mkdir(paths.dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const store = new SettingsStore(paths.dataDir, paths.archiveDir);
  // Create the archive folder only the first time: a configured archive that vanished (an
  // unplugged drive) must be reported, never silently recreated empty.
  if (!fs.existsSync(paths.indexPath)) {
    await fs.promises.mkdir(store.archiveDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  }
  const db = openDatabase(paths.indexPath);
  const events = new EventBus();
  const platform: PlatformServices = {
    cipher: null,
    mediaUrl: (id) => `recvault-media://recording/${id}`,
    ...options.platform,
  };
  const secrets: SecretAccess = {
    store: new SecretStore(paths.dataDir),
    cipher: platform.cipher,
    env: options.env ?? process.env,
    override: options.secretOverride ?? null,
  };
  const archiveDir = () => store.archiveDir;
  let ffmpeg: string | null = null;
  const ffmpegPath = () => (ffmpeg ??= locateFfmpeg().path);
  const accountName = (accountId: number) =>
    listAccounts(db, { includeRemoved: true }).find((a) => a.id === accountId)?.name ?? '';

  const custody = new CustodyService({
    db,
    dataDir: paths.dataDir,
    keySource:
      options.signingKey !== undefined
        ? options.signingKey
        : platform.cipher
          ? encryptedKeySource(path.join(paths.dataDir, 'signing-key.sealed'), platform.cipher)
          : null,
    createKeyOnFirstUse: choices.createSigningKeyOnFirstUse,
    tsaUrlOverride: options.tsaUrl ?? null,
  });
  const accounts = new AccountService({
    db,
    secrets,
    actor,
    createClient: options.createClient ?? createProviderClient,
    onStatusChanged: () => events.emit('accountsChanged', {}),
  });
  // The team vault (issue 17): every archived recording and checkpoint, under Object Lock.
  const vault = new VaultService({
    db,
    secrets,
    archiveDir,
    dataDir: paths.dataDir,
    ...vaultRetention(db),
    // An attached vault fills the index at once: every screen showing it refreshes.
    reindex: async () => {
      await integrity.reindex();
      events.emit('libraryChanged', { recordingIds: [] });
      events.emit('accountsChanged', {});
    },
    afterPut: killAfterPuts((options.env ?? process.env).RECVAULT_TEST_VAULT_KILL_AFTER),
    changed: () => events.emit('vaultChanged', {}),
    actor,
  });
  // An attached vault's recordings have no local file until an offline copy is asked for:
  // played, copied and exported from their objects (core/vault/read-object).
  const vaultReader = new VaultReader({ db, secrets });
  const lock = new ArchiverLock(paths.dataDir);
  const jobs = new JobManager({
    db,
    accounts,
    events,
    archiveRoot: archiveDir,
    actor,
    concurrency: options.concurrency ?? store.concurrency,
    lock,
    retryPendingLater: choices.retryPendingLater,
    maxInRunWaitMs: choices.maxInRunWaitMs,
    // The sync's checkpoint first, so the vault takes it along with the recordings.
    onJobEnded: async () => {
      await custody.afterWork('sync');
      await vault.afterWork();
    },
    ...(options.retryLaterMaxMs === undefined ? {} : { retryLaterMaxMs: options.retryLaterMaxMs }),
  });
  const library = new LibraryService(db, actor);
  const exports = new ExportManager({
    db,
    events,
    archiveRoot: archiveDir,
    actor,
    onExportEnded: () => custody.afterWork('export'),
    dataDir: paths.dataDir,
    // A bag signs a fresh checkpoint into its custody/ folder (custody/bag).
    checkpoints: {
      checkpointNow: (reason) => custody.checkpointNow(reason),
      assertCanSign: () => void custody.checkpoints.requireKey(),
    },
    // Through the settings service, so the CLI, the bridge and the app share the defaults.
    remember: (last) => settings.rememberExport(last),
    stageSources: (sources, signal) =>
      stageVaultSources(
        {
          reader: vaultReader,
          recording: (id) => library.require(id),
          stagingRoot: path.join(paths.cacheDir, 'vault-staging'),
        },
        sources,
        signal,
      ),
  });
  const integrity = new IntegrityService({
    db,
    archiveDir,
    actor,
    events,
    custody,
    afterReindex: () =>
      renameAfterReindex({ db, archiveDir: archiveDir(), dataDir: paths.dataDir, lock }),
  });
  const fixity = choices.scheduledVerify
    ? new FixitySchedule({
        custody,
        verify: async () => {
          await integrity.verifyArchive('scheduled');
          await integrity.verifyAudit('scheduled');
        },
      })
    : null;
  const recording = (id: number) => library.require(id);
  const drag = new DragFiles({
    recording,
    accountName,
    dragFormat: () => store.view().dragFormat,
    archiveDir,
    cacheDir: paths.cacheDir,
  });
  const media = new MediaService({
    recording,
    archiveDir,
    cacheDir: paths.cacheDir,
    ffmpegPath,
    mediaUrl: platform.mediaUrl,
    vault: vaultReader,
  });
  const holds = new HoldService(db, actor);
  const disposal = new DisposalService({
    db,
    actor,
    archiveDir,
    cacheDir: paths.cacheDir,
    changed: (recordingIds) => events.emit('libraryChanged', { recordingIds }),
    // A signed checkpoint of the archive as it stands after the disposal (when a key can sign).
    afterDisposal: () => custody.afterWork('disposal'),
    // Held in the team vault under COMPLIANCE retention: the queue says so and keeps it.
    vaultLock: (recordingId) => vault.disposalRefusal(recordingId),
  });
  const schedules = new ScheduleService({
    db,
    actor,
    events,
    clock: options.clock ?? systemClock,
    account: (accountId) => {
      const account = listAccounts(db, { includeRemoved: true }).find((a) => a.id === accountId);
      if (!account) throw new AppError('not_found', `No account with id ${accountId}.`);
      return account;
    },
    jobs,
  });
  const settings = new SettingsService({
    db,
    dataDir: paths.dataDir,
    store,
    actor,
    lock,
    jobs: {
      setConcurrency: (limit) => jobs.setConcurrency(limit),
      running: () =>
        jobs
          .list()
          .filter((job) => job.state === 'running')
          .map((job) => `sync job ${job.id} (${job.accountName})`),
    },
    exports: { running: () => exports.running() },
    onMoveProgress: (progress) => events.emit('archiveMoveProgress', progress),
    killMoveAfter: (options.env ?? process.env).RECVAULT_TEST_MOVE_KILL_AFTER,
  });
  // Before anything reads the archive: a move a crash interrupted is finished or rolled back.
  await settings.recoverMove();
  // Then an archive from before readable file names is renamed in place, once (crash-safe).
  await renameToReadableNames({
    db,
    archiveDir: archiveDir(),
    dataDir: paths.dataDir,
    lock,
    killAfter: (options.env ?? process.env).RECVAULT_TEST_RENAME_KILL_AFTER,
  });
  const destinations = new DestinationGuard({
    dataDir: paths.dataDir,
    defaultArchiveDir: paths.archiveDir,
    archiveDir,
    pickersOnly: Boolean(platform.pickDirectory),
    remembered: () => store.view().lastExport?.destination ?? null,
  });
  const handlers = buildHandlers(
    {
      appInfo: () => ({
        name: APP_NAME,
        version: APP_VERSION,
        dataDir: paths.dataDir,
        archiveDir: archiveDir(),
        transport: choices.transportName,
        nativeDialogs: Boolean(platform.pickDirectory),
        secretStorage: secretStorageStatus(platform.cipher),
      }),
      events,
      accounts,
      jobs,
      library,
      recordingIdsByRemoteId: (remoteId) => recordingIdsByRemoteId(db, remoteId),
      media,
      exports,
      settings,
      dialogs: platform,
      destinations,
      drag,
      integrity,
      custody,
      recordingCustody: new RecordingCustody({
        db,
        recording,
        archiveDir,
        reveal: platform.showItemInFolder,
      }),
      replanFixity: () => fixity?.plan(),
      holds,
      disposal,
      schedules,
      complianceReport: (request) => completenessReport(db, request),
      overview: () => buildOverview({ db, library, jobs, accounts }),
      vault,
      offlineCopy: (recordingId) =>
        keepOfflineCopy(
          {
            db,
            reader: vaultReader,
            archiveDir,
            actor,
            recording,
            changed: (recordingIds) => events.emit('libraryChanged', { recordingIds }),
          },
          recordingId,
        ),
      schedulePrint: (request) =>
        printSchedule(accounts.view(accounts.findByName(request.accountName)), request),
    },
    { commandLineChannels: choices.commandLineChannels },
  );

  let statistics: NodeJS.Timeout | null = null;
  if (choices.statisticsRefreshMs !== null) {
    statistics = setTimeout(() => {
      if (db.open) optimizeDatabase(db);
    }, choices.statisticsRefreshMs);
    statistics.unref();
  }
  const interrupted = jobs.recoverInterrupted();
  if (options.resumeInterrupted) for (const jobId of interrupted) jobs.resume(jobId);
  fixity?.plan();
  if (options.runSchedules) schedules.start();
  return {
    paths,
    events,
    handlers,
    db,
    actor,
    accounts,
    jobs,
    library,
    media,
    exports,
    settings: store,
    drag,
    platform,
    custody,
    archiveDir,
    ffmpegPath,
    close: async () => {
      if (statistics) clearTimeout(statistics);
      await schedules.stop();
      await fixity?.stop();
      await jobs.suspendAll();
      await drag.close();
      vaultReader.close();
      db.close();
    },
  };
}

/** Options given as `undefined` keep their default. */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
