import type { AccountService } from '../accounts/account-service.ts';
import { AppError } from '../app-error.ts';
import { COMMAND_LINE_CHANNELS, type RequestChannel } from '../contract/channels.ts';
import type { OverviewView } from '../contract/overview.ts';
import type { AppInfo } from '../contract/types.ts';
import type { DestinationGuard } from '../destinations/destination-guard.ts';
import type { DragFiles } from '../drag/drag-files.ts';
import { verifyExport } from '../custody/verify-export/verify-export.ts';
import type { ExportManager } from '../export/export-manager.ts';
import { refuseMissingFolder } from '../export/missing-folder.ts';
import type { IntegrityService } from '../integrity/integrity-service.ts';
import type { CustodyService } from '../custody/custody-service.ts';
import type { RecordingCustody } from '../custody/recording-custody.ts';
import type { DisposalService } from '../compliance/disposal-service.ts';
import type { HoldService } from '../compliance/hold-service.ts';
import type { ScheduleEntries } from '../contract/compliance.ts';
import type { ParsedRequestArgs } from '../contract/requests.ts';
import type { ComplianceReport } from '../contract/report.ts';
import type { ScheduleService } from '../schedule/schedule-service.ts';
import type { LibraryService } from '../library/library-service.ts';
import type { MediaService } from '../media/media-service.ts';
import type { Dialogs } from '../platform.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { JobManager } from '../sync/job-manager.ts';
import type { VaultService } from '../vault/vault-service.ts';
import type { VaultFetchResult } from '../contract/vault.ts';
import { parseIds } from '../sync/parse-ids.ts';
import type { HandlerTable } from './dispatch.ts';
import type { EventBus } from './event-bus.ts';

/** The services the handler table answers from. */
export interface HandlerServices {
  appInfo: () => AppInfo;
  events: EventBus;
  accounts: AccountService;
  jobs: JobManager;
  library: LibraryService;
  recordingIdsByRemoteId: (remoteId: string) => number[];
  media: MediaService;
  exports: ExportManager;
  settings: SettingsService;
  dialogs: Dialogs;
  /** Checks every export destination and archive folder (and remembers what pickers chose). */
  destinations: DestinationGuard;
  drag: DragFiles;
  integrity: IntegrityService;
  custody: CustodyService;
  /** A recording's file on this computer and the exports that included it. */
  recordingCustody: RecordingCustody;
  /** Re-plans the app's scheduled verification after its interval changed. */
  replanFixity: () => void;
  holds: HoldService;
  disposal: DisposalService;
  schedules: ScheduleService;
  /** The completeness report (report/completeness-report.ts). */
  complianceReport: (request: ParsedRequestArgs<'complianceReport'>) => ComplianceReport;
  /** The crontab/systemd/launchd/schtasks entries of a scheduled sync (schedule/print.ts). */
  schedulePrint: (request: ParsedRequestArgs<'schedulePrint'>) => ScheduleEntries;
  /** The team vault (issue 17). */
  vault: VaultService;
  /** An offline copy of a recording only the team vault holds (core/vault/offline-copy). */
  offlineCopy: (recordingId: number) => Promise<VaultFetchResult>;
  /** The overview screen's figures (overview/overview.ts). */
  overview: () => OverviewView;
}

export interface HandlerOptions {
  /** Serve COMMAND_LINE_CHANNELS; an engine for the app or the bridge refuses them. */
  commandLineChannels: boolean;
}

/** A finished sync reports at most this many items. */
const JOB_REPORT_ITEMS = 100_000;

/** The one handler table: each contract channel answered by one call to a service. */
export function buildHandlers(services: HandlerServices, options: HandlerOptions): HandlerTable {
  const table = answers(services);
  return options.commandLineChannels ? table : refusing(table, COMMAND_LINE_CHANNELS);
}

function answers(services: HandlerServices): HandlerTable {
  const {
    accounts,
    jobs,
    library,
    media,
    exports,
    settings,
    dialogs,
    drag,
    integrity,
    destinations,
  } = services;
  /** Account changes are announced, so every open window refreshes its list. */
  const announced = <T>(value: T): T => {
    services.events.emit('accountsChanged', {});
    return value;
  };
  return {
    appInfo: () => services.appInfo(),

    accountsList: () => accounts.list(),
    accountsAdd: ({ provider, secret, ...input }) =>
      announced(accounts.add(provider, input, { secret })),
    accountsUpdate: ({ id, secret, ...input }) =>
      announced(accounts.update(id, input, secret ? { secret } : null)),
    accountsRemove: ({ id }) => announced((accounts.remove(id), { removed: true as const })),
    accountsTest: ({ id }) => accounts.test(id),

    idsParse: ({ text, wantUserId, defaultUserId }) =>
      parseIds(text, { wantUserId, defaultUserId: defaultUserId ?? null }),
    syncStart: ({ accountId, ...request }) => jobs.start(accountId, request),
    jobsList: () => jobs.list(),
    jobItems: ({ jobId, limit }) => jobs.items(jobId, limit),
    jobPause: ({ jobId }) => jobs.pause(jobId),
    jobResume: ({ jobId }) => jobs.resume(jobId),
    jobCancel: ({ jobId }) => jobs.cancel(jobId),
    jobRetryFailed: ({ jobId }) => jobs.retryFailed(jobId),

    librarySearch: ({ query, cursor, limit, withTotal }) =>
      library.search(query, cursor ?? null, limit, withTotal),
    recordingGet: ({ id }) => library.get(id),
    recordingCustody: ({ id }) => services.recordingCustody.view(id),
    recordingShowInFolder: ({ id }) => services.recordingCustody.showInFolder(id),
    recordingUpdate: ({ id, notes, tags }) => library.update(id, { notes, tags }),
    recordingsTag: ({ recordingIds, query, add, remove }) => {
      const { matched, changed } = library.tagMany(
        { recordingIds, query: query ?? null },
        { add, remove },
      );
      if (changed.length > 0) services.events.emit('libraryChanged', { recordingIds: changed });
      return { matched, changed: changed.length };
    },
    libraryTags: () => library.tags(),
    recordingsRetry: ({ recordingIds }) =>
      library.retry(recordingIds, (accountId, request) => jobs.start(accountId, request)),
    recordingMedia: ({ id }) => media.media(id),
    recordingPeaks: ({ id, buckets }) => media.peaks(id, buckets),

    exportStart: async ({ recordingIds, query, destination, options, createFolder }) => {
      const checked = await destinations.exportDestination(destination);
      if (!createFolder) await refuseMissingFolder(checked);
      return exports.start({ recordingIds, query: query ?? null, destination: checked, options });
    },
    exportCancel: ({ exportId }) => exports.cancel(exportId),
    exportsList: () => exports.list(),
    exportPlan: ({ recordingIds, query, options }) =>
      exports.plan({ recordingIds, query: query ?? null, options }),
    exportDetail: ({ exportId }) => exports.detail(exportId),
    // The destination is the engine's own record, checked again (it may since be in the archive).
    exportRetry: async ({ exportId }) => {
      const again = exports.retryRequest(exportId);
      const checked = await destinations.exportDestination(again.destination, { recorded: true });
      return exports.start({ ...again, query: null, destination: checked });
    },
    exportCheck: ({ exportId }) => exports.check(exportId),

    settingsGet: () => settings.view(),
    settingsUpdate: async ({ archiveDir, ...change }) =>
      settings.update({
        ...change,
        ...(archiveDir === undefined
          ? {}
          : { archiveDir: await destinations.archiveTarget(archiveDir) }),
      }),

    pickDirectory: async ({ title }) => ({
      path: destinations.picked('folder', (await dialogs.pickDirectory?.(title)) ?? null),
    }),
    pickSaveFile: async ({ title, defaultName }) => ({
      path: destinations.picked('zip', (await dialogs.pickSaveFile?.(title, defaultName)) ?? null),
    }),
    showInFolder: ({ exportId }) => {
      const target = exports.revealPath(exportId);
      dialogs.showItemInFolder?.(target);
      return { shown: dialogs.showItemInFolder !== undefined };
    },

    dragPrepare: async ({ recordingIds }) => ({
      preparing: await drag.prepareCopies(recordingIds),
    }),

    verifyArchive: () => integrity.verifyArchive(),
    verifyAudit: () => integrity.verifyAudit(),

    custodyStatus: () => services.custody.status(),
    custodySettingsUpdate: (change) => {
      services.custody.updateSettings(change);
      services.replanFixity();
      return services.custody.status();
    },
    checkpointCreate: ({ tsaUrl }) => services.custody.recordCheckpoint('on-demand', tsaUrl),
    timestampsRetry: async ({ tsaUrl }) => ({
      stamped: await services.custody.checkpoints.retryTimestamps(tsaUrl),
    }),
    signingKeyCreate: () => services.custody.createKey(),
    checkpointCovering: ({ auditSeq }) => services.custody.checkpoints.covering(auditSeq),
    exportVerify: (request) => verifyExport(request),

    holdsList: () => services.holds.list(),
    holdCreate: (input) => services.holds.create(input),
    // The team vault's objects take the hold (or lose it) at once.
    holdAdd: async ({ name, recordingIds, query }) => {
      const added = services.holds.add(name, recordingIds, query ?? null);
      await services.vault.afterHoldChange();
      return added;
    },
    holdRelease: async ({ name, reason }) => {
      const released = services.holds.release(name, reason);
      await services.vault.afterHoldChange();
      return released;
    },
    retentionList: () => services.disposal.rules(),
    retentionSet: ({ accountId, keep }) => services.disposal.setRule(accountId, keep),
    disposalPreview: () => services.disposal.preview(),
    disposalConfirm: ({ count }) => services.disposal.confirm(count),
    schedulesList: () => services.schedules.list(),
    scheduleSet: ({ accountId, everyHours, dailyAt, windowDays, watchFolder, enabled }) =>
      services.schedules.set({
        accountId,
        everyHours: everyHours ?? null,
        dailyAt: dailyAt ?? null,
        windowDays,
        watchFolder: watchFolder ?? null,
        enabled,
      }),
    scheduleRemove: ({ accountId }) => services.schedules.remove(accountId),
    scheduleRunNow: ({ accountId }) => services.schedules.runNow(accountId),

    accountByName: ({ name }) => accounts.view(accounts.findByName(name)),
    accountsAddWithEnvSecret: ({ provider, secretEnv, ...input }) =>
      announced(accounts.add(provider, input, { secretEnv })),
    accountsUpdateWithEnvSecret: ({ id, secretEnv, ...input }) =>
      announced(accounts.update(id, input, secretEnv ? { secretEnv } : null)),
    recordingIdsByRemoteId: ({ remoteId }) => ({ ids: services.recordingIdsByRemoteId(remoteId) }),
    jobWait: async ({ jobId }) => ({
      job: await jobs.wait(jobId),
      items: jobs.items(jobId, JOB_REPORT_ITEMS),
    }),
    exportWait: ({ exportId }) => exports.wait(exportId),
    reindex: () => integrity.reindex(),
    schedulePrint: (request) => services.schedulePrint(request),
    complianceReport: (request) => services.complianceReport(request),

    vaultStatus: () => services.vault.status(),
    vaultAdd: ({ accessKey, secretKey, ...target }) =>
      services.vault.add(target, { accessKey, secretKey }),
    vaultTest: () => services.vault.test(),
    vaultSync: () => services.vault.sync(),
    vaultVerify: ({ sample }) => services.vault.verify(sample ?? null),
    vaultCheckpoints: () => services.vault.checkpoints(),
    vaultFetch: ({ recordingId }) => services.offlineCopy(recordingId),
    vaultAddWithEnvKeys: ({ accessKeyEnv, secretKeyEnv, ...target }) =>
      services.vault.add(target, { accessKeyEnv, secretKeyEnv }),
    overview: () => services.overview(),
  };
}

/** The table with these channels answered by a refusal. */
function refusing(table: HandlerTable, channels: readonly RequestChannel[]): HandlerTable {
  const refused = { ...table };
  for (const channel of channels) {
    refused[channel] = () => {
      throw new AppError('unsupported', `${channel} is served to the command line only.`);
    };
  }
  return refused;
}
