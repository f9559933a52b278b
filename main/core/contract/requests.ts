import type { OverviewView } from './overview.ts';
import type { RecordingCustodyView } from './recording-custody.ts';
import { z } from 'zod';
import type { ExportSummary } from '../convert/index.ts';
import type { ReindexReport } from '../integrity/reindex.ts';
import type { CheckpointView, CustodyStatus, SigningKeyView } from './custody.ts';
import type { RequestChannel } from './channels.ts';
import { exportOptionsSchema, isTimeZone } from './export-options.ts';
import { MAX_ID_IMPORT_CHARS } from './limits.ts';
import type { BagDetails, ExportVerifyReport } from './export-verification.ts';
import {
  dailyTimeSchema,
  keepSchema,
  type DisposalPreview,
  type DisposalResult,
  type HoldAddResult,
  type HoldView,
  type RetentionRuleView,
  type ScheduleEntries,
  type ScheduleView,
} from './compliance.ts';
import { PLAUSIBLE_ID } from './plausible-id.ts';
import { AT_RISK_DAYS_DEFAULT, type ComplianceReport } from './report.ts';
import { isTrustedProviderUrl, koreaiBaseUrl, UNTRUSTED_URL_MESSAGE } from './provider-origin.ts';
import type {
  AccountTestResult,
  AccountView,
  AppInfo,
  AuditVerifyReport,
  ExportView,
  ExportDetail,
  ExportPlanView,
  IdParseResult,
  JobItemView,
  JobView,
  LibraryPage,
  RecordingDetail,
  SettingsView,
  VerifyReport,
} from './types.ts';
import {
  CONCURRENCY,
  channelSchema,
  exportFormatSchema,
  libraryColumnsSchema,
  librarySortSchema,
  providerSchema,
  recordingStateSchema,
  themeSchema,
  vaultModeSchema,
} from './vocabulary.ts';
import type {
  VaultCheckpointsResult,
  VaultFetchResult,
  VaultStatus,
  VaultSyncResult,
  VaultTestResult,
  VaultVerifyResult,
} from './vault.ts';

const id = z.number().int().positive();
const text = (max: number) => z.string().max(max);
/** A date, or a date and time, as every transport sends one (2026-01-31, 2026-01-31T09:00Z). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'expected a date');
const httpUrl = z
  .url({ protocol: /^https?$/ })
  .max(500)
  .refine(isTrustedProviderUrl, UNTRUSTED_URL_MESSAGE);
/** The command line's Kore.ai host: bare (platform.kore.ai, meaning https) or a URL. */
const cliHost = text(300).refine(
  (host) => isTrustedProviderUrl(koreaiBaseUrl(host)),
  UNTRUSTED_URL_MESSAGE,
);
/** An id a provider could have issued (the id import's rule): nothing that can reach a URL path. */
const providerId = z.string().regex(PLAUSIBLE_ID, 'letters, digits and _ . : @ + - only');
const empty = z.object({}).strict();

/** A time-stamping authority's address: http(s) only (RFC 3161 §3.4). */
const tsaUrlSchema = text(2048)
  .trim()
  .url()
  .refine((url) => /^https?:\/\//i.test(url), 'a TSA address starts with http:// or https://');
/** The NAME of the environment variable holding a secret (the name is stored, never the value). */
export const envVarNameSchema = z
  .string()
  .regex(
    /^[A-Z_][A-Z0-9_]{0,127}$/,
    'the NAME of an environment variable (such as KALLGLOT_API_KEY), not the key itself',
  );

/** Where a team vault is: an S3 endpoint and an Object Lock bucket (core/vault/). */
const vaultFields = {
  endpoint: z.url({ protocol: /^https?$/ }).max(500),
  bucket: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'an S3 bucket name (3-63 lower-case letters, digits, . and -)',
    ),
  region: text(64).trim().min(1).default('us-east-1'),
  prefix: text(200)
    .regex(/^[A-Za-z0-9._/-]*$/, 'letters, digits and . _ - / only')
    .default(''),
  mode: vaultModeSchema,
  retainDays: z.number().int().min(1).max(36_500),
  /** Attach to a vault other officers fill: the local index is built from its sidecars. */
  attach: z.boolean().default(false),
  /** With attach: copy every media file into the local archive too (else kept in the vault). */
  copyMedia: z.boolean().default(false),
};

const accountFields = {
  name: text(100).trim().min(1, 'a name is required'),
  baseUrl: httpUrl.nullish(),
  host: httpUrl.nullish(),
  botId: text(200).nullish(),
  clientId: text(200).nullish(),
  organizationId: text(200).nullish(),
  requestsPerMinute: z.number().int().min(1).max(10_000).nullish(),
};

export const libraryQuerySchema = z.object({
  text: text(500).default(''),
  accountIds: z.array(id).max(100).default([]),
  providers: z.array(providerSchema).default([]),
  channels: z.array(channelSchema).default([]),
  states: z.array(recordingStateSchema).default([]),
  from: isoDate.nullable().default(null),
  to: isoDate.nullable().default(null),
  expiringWithinDays: z.number().int().min(0).max(3650).nullable().default(null),
  notArchived: z.boolean().default(false),
  /** Only recordings the last archive verification found altered or missing. */
  integrityFailed: z.boolean().default(false),
  /** Only recordings on one of these legal holds (live ones). */
  holdIds: z.array(id).max(100).default([]),
  /** Only recordings on any live legal hold. */
  onHold: z.boolean().default(false),
  /** Only recordings carrying every one of these tags (case-insensitive). */
  tags: z.array(text(100).trim().min(1)).max(20).default([]),
  sort: librarySortSchema.default('recorded_desc'),
});
export type LibraryQuery = z.output<typeof libraryQuerySchema>;

/** Argument schemas, parsed on the main side for every request from any transport. */
export const requestSchemas = {
  appInfo: empty,
  accountsList: empty,
  accountsAdd: z
    .object({
      provider: providerSchema,
      ...accountFields,
      secret: text(4000).min(1, 'the key or secret is required'),
    })
    .strict(),
  accountsUpdate: z
    .object({
      id,
      ...accountFields,
      name: accountFields.name.optional(),
      secret: text(4000).min(1).optional(),
    })
    .strict(),
  accountsRemove: z.object({ id }).strict(),
  accountsTest: z.object({ id }).strict(),
  idsParse: z
    .object({
      text: text(MAX_ID_IMPORT_CHARS),
      fileName: text(300).nullish(),
      wantUserId: z.boolean().default(false),
      /** Kore.ai: the user id for rows that carry none (the sync form's "User id" field). */
      defaultUserId: text(300).nullish(),
    })
    .strict(),
  syncStart: z
    .object({
      accountId: id,
      /** Kallglot or Kore.ai session ids; Kore.ai needs the user id of each. */
      sessions: z
        .array(z.object({ id: providerId, userId: text(300).nullish() }))
        .max(100_000)
        .default([]),
      recordingIds: z.array(providerId).max(100_000).default([]),
      callIds: z.array(providerId).max(100_000).default([]),
      from: isoDate.nullish(),
      to: isoDate.nullish(),
      status: text(50).nullish(),
      userId: text(300).nullish(),
      channel: channelSchema.nullish(),
      /** Download recordings disposed of under retention again (else they are left alone). */
      includeDisposed: z.boolean().default(false),
    })
    .strict(),
  jobsList: empty,
  jobItems: z.object({ jobId: id, limit: z.number().int().min(1).max(1000).default(200) }).strict(),
  jobPause: z.object({ jobId: id }).strict(),
  jobResume: z.object({ jobId: id }).strict(),
  jobCancel: z.object({ jobId: id }).strict(),
  jobRetryFailed: z.object({ jobId: id }).strict(),
  librarySearch: z
    .object({
      query: libraryQuerySchema,
      cursor: text(1000).nullish(),
      limit: z.number().int().min(1).max(500).default(100),
      withTotal: z.boolean().default(false),
    })
    .strict(),
  recordingGet: z.object({ id }).strict(),
  recordingCustody: z.object({ id }).strict(),
  // Only the recording's id crosses: the path is looked up in the index, never taken from the UI.
  recordingShowInFolder: z.object({ id }).strict(),
  recordingUpdate: z
    .object({
      id,
      notes: text(100_000).optional(),
      tags: z.array(text(100).trim().min(1)).max(100).optional(),
    })
    .strict(),
  /** Adds a tag to, or removes one from, every recording given (by ids or by a query). */
  recordingsTag: z
    .object({
      recordingIds: z.array(id).max(1_000_000).default([]),
      query: libraryQuerySchema.nullish(),
      add: text(100).trim().min(1, 'the tag is empty').nullish(),
      remove: text(100).trim().min(1, 'the tag is empty').nullish(),
    })
    .strict()
    .refine((r) => Boolean(r.add) !== Boolean(r.remove), {
      message: 'give a tag to add or one to remove',
    }),
  /** Every tag in the library, with how many recordings carry it. */
  libraryTags: empty,
  /** Queues the recordings given that are not archived for download again, one sync per account. */
  recordingsRetry: z.object({ recordingIds: z.array(id).min(1).max(100_000) }).strict(),
  recordingMedia: z.object({ id }).strict(),
  recordingPeaks: z
    .object({ id, buckets: z.number().int().min(10).max(4000).default(800) })
    .strict(),
  exportStart: z
    .object({
      recordingIds: z.array(id).max(1_000_000).default([]),
      query: libraryQuerySchema.nullish(),
      destination: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('folder'), path: text(4096).min(1) }),
        z.object({ kind: z.literal('zip'), path: text(4096).min(1) }),
      ]),
      options: exportOptionsSchema,
      /** Create a folder destination that does not exist yet (the app asks first: false). */
      createFolder: z.boolean().default(true),
    })
    .strict(),
  exportCancel: z.object({ exportId: id }).strict(),
  exportsList: empty,
  /** What an export of this selection would make, before it starts (nothing is written). */
  exportPlan: z
    .object({
      recordingIds: z.array(id).max(1_000_000).default([]),
      query: libraryQuerySchema.nullish(),
      options: exportOptionsSchema,
    })
    .strict(),
  exportDetail: z.object({ exportId: id }).strict(),
  /** A new export of the same recordings, to the same destination, with the same options. */
  exportRetry: z.object({ exportId: id }).strict(),
  /** "Verify this export": its files read again against what the export recorded. */
  exportCheck: z.object({ exportId: id }).strict(),
  settingsGet: empty,
  settingsUpdate: z
    .object({
      archiveDir: text(4096).min(1).optional(),
      concurrency: z.number().int().min(CONCURRENCY.min).max(CONCURRENCY.max).optional(),
      dragFormat: exportFormatSchema.optional(),
      theme: themeSchema.optional(),
      /** The IANA zone dates are shown in (and exports default to); null: the system's. */
      timeZone: text(100)
        .refine(isTimeZone, 'an IANA time zone such as Europe/Berlin or UTC')
        .nullable()
        .optional(),
      libraryColumns: libraryColumnsSchema.optional(),
    })
    .strict(),
  pickDirectory: z.object({ title: text(200).default('Choose a folder') }).strict(),
  pickSaveFile: z
    .object({ title: text(200).default('Save as'), defaultName: text(255).default('export.zip') })
    .strict(),
  showInFolder: z.object({ exportId: id }).strict(),
  dragPrepare: z.object({ recordingIds: z.array(id).max(500) }).strict(),
  verifyArchive: empty,
  verifyAudit: empty,
  custodyStatus: empty,
  custodySettingsUpdate: z
    .object({
      /** The time-stamping authority (RFC 3161 over HTTP); null turns timestamps off. */
      tsaUrl: tsaUrlSchema.nullable().optional(),
      tsaCaFile: text(4096).trim().min(1).nullable().optional(),
      verifyEveryDays: z.number().int().min(0).max(366).optional(),
    })
    .strict(),
  checkpointCreate: z.object({ tsaUrl: tsaUrlSchema.nullish() }).strict(),
  timestampsRetry: z.object({ tsaUrl: tsaUrlSchema.nullish() }).strict(),
  /** The checkpoint that first covers an audit entry (null: none yet). */
  checkpointCovering: z.object({ auditSeq: id }).strict(),
  /** A recipient's check of an export package: needs no data directory (core/custody/verify-export). */
  exportVerify: z
    .object({
      path: text(4096).min(1),
      publicKeyFile: text(4096).min(1).optional(),
      tsaCaFile: text(4096).min(1).optional(),
    })
    .strict(),

  holdsList: empty,
  holdCreate: z
    .object({
      name: text(200).trim().min(1, 'a matter needs a name'),
      reference: text(200).trim().default(''),
      description: text(4000).trim().default(''),
    })
    .strict(),
  holdAdd: z
    .object({
      name: text(200).trim().min(1),
      recordingIds: z.array(id).max(1_000_000).default([]),
      query: libraryQuerySchema.nullish(),
    })
    .strict(),
  holdRelease: z
    .object({
      name: text(200).trim().min(1),
      reason: text(4000).trim().min(1, 'releasing a hold needs a reason'),
    })
    .strict(),
  retentionList: empty,
  retentionSet: z.object({ accountId: id.nullable().default(null), keep: keepSchema }).strict(),
  disposalPreview: empty,
  disposalConfirm: z
    .object({
      /** The count the person confirmed: refused when the queue no longer holds that many. */
      count: z.number().int().min(1),
    })
    .strict(),
  schedulesList: empty,
  scheduleSet: z
    .object({
      accountId: id,
      everyHours: z.number().int().min(1).max(168).nullish(),
      dailyAt: dailyTimeSchema.nullish(),
      windowDays: z.number().int().min(1).max(366).default(7),
      watchFolder: text(4096).trim().min(1).nullish(),
      enabled: z.boolean().default(true),
    })
    .strict()
    .refine((s) => Boolean(s.everyHours) !== Boolean(s.dailyAt), {
      message: 'a schedule runs every N hours or daily at a time: give one of them',
    }),
  scheduleRemove: z.object({ accountId: id }).strict(),
  scheduleRunNow: z.object({ accountId: id }).strict(),

  // COMMAND_LINE_CHANNELS: served only by an engine opened for the command line.
  accountByName: z.object({ name: text(100).min(1) }).strict(),
  // The command line has always taken a bare Kore.ai host (platform.kore.ai): the account's
  // settings schema checks it.
  accountsAddWithEnvSecret: z
    .object({
      provider: providerSchema,
      ...accountFields,
      host: cliHost.nullish(),
      secretEnv: envVarNameSchema,
    })
    .strict(),
  accountsUpdateWithEnvSecret: z
    .object({
      id,
      ...accountFields,
      name: accountFields.name.optional(),
      host: cliHost.nullish(),
      secretEnv: envVarNameSchema.optional(),
    })
    .strict(),
  recordingIdsByRemoteId: z.object({ remoteId: text(300).min(1) }).strict(),
  jobWait: z.object({ jobId: id }).strict(),
  exportWait: z.object({ exportId: id }).strict(),
  reindex: empty,
  signingKeyCreate: empty,
  schedulePrint: z
    .object({
      accountName: text(100).min(1),
      everyHours: z.number().int().min(1).max(168).nullish(),
      dailyAt: dailyTimeSchema.nullish(),
      windowDays: z.number().int().min(1).max(366).default(7),
      /** Kallglot (no listing by date): the CSV/TXT id file each run reads. */
      fromFile: text(4096).min(1).nullish(),
      /** How the scheduler starts recvault: the node binary and the CLI script, or one binary. */
      program: z.array(text(4096).min(1)).min(1).max(4),
      dataDir: text(4096).min(1),
    })
    .strict()
    .refine((s) => Boolean(s.everyHours) !== Boolean(s.dailyAt), {
      message: 'give --every Nh or --daily HH:MM',
    }),
  // The team vault (issue 17; core/vault/).
  vaultStatus: empty,
  vaultAdd: z
    .object({ ...vaultFields, accessKey: text(256).min(1), secretKey: text(256).min(1) })
    .strict(),
  vaultTest: empty,
  vaultSync: empty,
  vaultVerify: z.object({ sample: z.number().int().min(1).nullish() }).strict(),
  vaultCheckpoints: empty,
  /** An offline copy of a recording that is only in the team vault (core/vault/offline-copy). */
  vaultFetch: z.object({ recordingId: z.number().int().positive() }).strict(),
  vaultAddWithEnvKeys: z
    .object({ ...vaultFields, accessKeyEnv: envVarNameSchema, secretKeyEnv: envVarNameSchema })
    .strict(),
  /** The completeness report (contract/report.ts): the period is on the recorded date. */
  complianceReport: z
    .object({
      /** Empty: every account. */
      accountIds: z.array(id).max(100).default([]),
      from: isoDate.nullable().default(null),
      to: isoDate.nullable().default(null),
      withinDays: z.number().int().min(0).max(3650).default(AT_RISK_DAYS_DEFAULT),
      /** Archived from this instant on counts as archived, before it as already archived. */
      archivedSince: isoDate.nullable().default(null),
    })
    .strict(),
  /** The overview screen's figures (contract/overview.ts). */
  overview: empty,
} satisfies Record<RequestChannel, z.ZodType>;

/** What each request resolves to when it succeeds. */
export interface RequestResults {
  overview: OverviewView;
  complianceReport: ComplianceReport;
  appInfo: AppInfo;
  accountsList: AccountView[];
  accountsAdd: AccountView;
  accountsUpdate: AccountView;
  accountsRemove: { removed: true };
  accountsTest: AccountTestResult;
  idsParse: IdParseResult;
  syncStart: JobView;
  jobsList: JobView[];
  jobItems: JobItemView[];
  jobPause: JobView;
  jobResume: JobView;
  jobCancel: JobView;
  jobRetryFailed: JobView;
  librarySearch: LibraryPage;
  recordingGet: RecordingDetail;
  recordingCustody: RecordingCustodyView;
  /** shown: false where no file manager can be opened (the browser bridge); path says where. */
  recordingShowInFolder: { shown: boolean; path: string };
  recordingUpdate: RecordingDetail;
  /** `matched`: recordings given; `changed`: those whose tags changed. */
  recordingsTag: { matched: number; changed: number };
  libraryTags: { tags: { tag: string; count: number }[] };
  /** The sync jobs started (one per account) and how many given were archived already. */
  recordingsRetry: { jobs: JobView[]; queued: number; alreadyArchived: number };
  /** A URL the renderer's <audio>/<video> can play (the app's media protocol or the bridge's). */
  recordingMedia: {
    url: string;
    contentType: string;
    isVideo: boolean;
    /** Played from the local archive, or streamed from the team vault (no offline copy yet). */
    copy: 'local' | 'vault';
  };
  /** Peak amplitudes 0..1 per bucket, per channel (1 or 2 arrays). */
  recordingPeaks: { channels: number[][]; durationSec: number };
  exportStart: ExportView;
  exportCancel: ExportView;
  exportsList: ExportView[];
  exportPlan: ExportPlanView;
  exportDetail: ExportDetail;
  exportRetry: ExportView;
  exportCheck: ExportVerifyReport;
  settingsGet: SettingsView;
  settingsUpdate: SettingsView;
  /** null when cancelled, or when the transport has no native dialog. */
  pickDirectory: { path: string | null };
  pickSaveFile: { path: string | null };
  showInFolder: { shown: boolean };
  /** Converted drag copies now being prepared (0 when the drag format is `original`). */
  dragPrepare: { preparing: number };
  verifyArchive: VerifyReport;
  verifyAudit: AuditVerifyReport;
  custodyStatus: CustodyStatus;
  custodySettingsUpdate: CustodyStatus;
  checkpointCreate: CheckpointView;
  timestampsRetry: { stamped: number };
  checkpointCovering: CheckpointView | null;
  exportVerify: ExportVerifyReport;

  holdsList: HoldView[];
  holdCreate: HoldView;
  holdAdd: HoldAddResult;
  holdRelease: HoldView;
  retentionList: RetentionRuleView[];
  retentionSet: RetentionRuleView;
  disposalPreview: DisposalPreview;
  disposalConfirm: DisposalResult;
  schedulesList: ScheduleView[];
  scheduleSet: ScheduleView;
  scheduleRemove: { removed: boolean };
  /** The schedule once its run has started (its sync goes on; `scheduleRun` says how it ended). */
  scheduleRunNow: ScheduleView;

  accountByName: AccountView;
  accountsAddWithEnvSecret: AccountView;
  accountsUpdateWithEnvSecret: AccountView;
  /** Index ids of the recordings a provider's id names (several when accounts share it). */
  recordingIdsByRemoteId: { ids: number[] };
  /** The job once its current run has ended, with its items (up to 100,000). */
  jobWait: { job: JobView; items: JobItemView[] };
  /** The export once it has ended, with its summary (null when it stopped before one). */
  exportWait: { export: ExportView; summary: (ExportSummary & { bag?: BagDetails }) | null };
  reindex: ReindexReport;
  signingKeyCreate: SigningKeyView;
  schedulePrint: ScheduleEntries;

  vaultStatus: VaultStatus;
  vaultAdd: VaultStatus;
  vaultTest: VaultTestResult;
  vaultSync: VaultSyncResult;
  vaultVerify: VaultVerifyResult;
  vaultCheckpoints: VaultCheckpointsResult;
  vaultFetch: VaultFetchResult;
  vaultAddWithEnvKeys: VaultStatus;
}

export type RequestArgs<K extends RequestChannel> = z.input<(typeof requestSchemas)[K]>;
export type ParsedRequestArgs<K extends RequestChannel> = z.output<(typeof requestSchemas)[K]>;
