/**
 * Plain data shapes that cross the contract. No functions, no class instances. What a request
 * carries is derived from its zod schema; only the answers (built on the main side, never
 * parsed) are written here.
 */
import type { ExportOptions } from './export-options.ts';
import type {
  ChannelName,
  ExportFormat,
  ExportState,
  JobState,
  LibraryColumnsLayout,
  ProviderName,
  RateLimitSource,
  RecordingState,
  Theme,
} from './vocabulary.ts';

export type {
  ChannelName,
  ExportFormat,
  JobState,
  LibrarySort,
  ProviderName,
  RecordingState,
} from './vocabulary.ts';
export type { ExportOptions } from './export-options.ts';
export type { LibraryQuery } from './requests.ts';

export interface AppInfo {
  name: string;
  version: string;
  dataDir: string;
  archiveDir: string;
  /** Which transport this renderer is talking through. */
  transport: 'electron' | 'bridge';
  /** Whether native dialogs (folder pickers) exist; the bridge asks for typed paths instead. */
  nativeDialogs: boolean;
  /**
   * Whether a secret typed into the app is stored encrypted; when not, why (no keychain, or a
   * Linux keyring fallback with a fixed password), and secrets come from environment variables.
   */
  secretStorage: { encrypted: boolean; reason: string | null };
}

/** An account as the UI sees it: never its secret. */
export interface AccountView {
  id: number;
  name: string;
  provider: ProviderName;
  baseUrl: string | null;
  host: string | null;
  botId: string | null;
  clientId: string | null;
  organizationId: string | null;
  /** The user's limit (a hard ceiling); null: none set, the server's advertised one is followed. */
  requestsPerMinute: number | null;
  /** The limit requests are held to now and where it came from (issue 16). */
  rateLimit: RateLimitInForce;
  /** Where the secret comes from: stored encrypted by the app, or an environment variable. */
  secretSource: 'encrypted' | 'env';
  secretEnv: string | null;
  /** Last authentication failure, shown until a test or sync succeeds. */
  authError: string | null;
  createdAt: string;
  recordingCount: number;
  archivedCount: number;
}

/** A request limit and its source: the user's setting, the server's headers, or the provider's lowest tier. */
export interface RateLimitInForce {
  requestsPerMinute: number;
  source: RateLimitSource;
}

export interface AccountTestResult {
  ok: boolean;
  /** Plain words: "The API key was rejected", "Cannot reach api.example.com". */
  message: string;
}

/** One id (or id pair) parsed from typed, pasted or imported text. */
export interface ParsedIdRow {
  line: number;
  id: string;
  userId: string | null;
}

export interface IdParseResult {
  rows: ParsedIdRow[];
  errors: { line: number; message: string }[];
}

export interface JobView {
  id: number;
  accountId: number;
  accountName: string;
  provider: ProviderName;
  state: JobState;
  /** A short description of what the job archives. */
  label: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  totals: JobTotals;
  error: string | null;
  /** When the first recording still waiting for the provider is tried again, or null. */
  nextRetryAt: string | null;
}

export interface JobTotals {
  discovered: number;
  archived: number;
  skipped: number;
  pending: number;
  failed: number;
  gone: number;
  /** Calls or sessions the provider has no recording for: settled, and not failures. */
  noRecording: number;
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second over the last few seconds. */
  throughput: number;
  /** Seconds left at the current throughput, when known. */
  etaSeconds: number | null;
}

export interface JobItemView {
  recordingId: number;
  remoteId: string;
  channel: ChannelName;
  state: RecordingState;
  bytesDone: number;
  bytesTotal: number | null;
  expiresAt: string | null;
  error: string | null;
}

export interface JobProgress {
  job: JobView;
  /** Items whose state or bytes changed since the last event. */
  items: JobItemView[];
}

export interface RecordingRow {
  id: number;
  accountId: number;
  accountName: string;
  provider: ProviderName;
  remoteId: string;
  sessionId: string | null;
  callId: string | null;
  channel: ChannelName;
  durationSec: number | null;
  format: string | null;
  contentType: string | null;
  size: number | null;
  state: RecordingState;
  recordedAt: string | null;
  expiresAt: string | null;
  archivedAt: string | null;
  lastError: string | null;
  /** The user's tags, in the order given. */
  tags: string[];
  /** Live legal holds (matter names) on the recording; absent or empty: none. */
  holds?: string[];
  /** When it was disposed of under a retention rule (its tombstone); absent or null: never. */
  disposedAt?: string | null;
  /** The last archive verification found its file altered or missing; absent: it did not. */
  integrityFailed?: boolean;
}

export interface RecordingDetail extends RecordingRow {
  userId: string | null;
  providerStatus: string;
  sampleRate: number | null;
  bitDepth: number | null;
  phoneNumbers: string[];
  providerFileName: string | null;
  sha256: string | null;
  localSize: number | null;
  notes: string;
  tags: string[];
  isVideo: boolean;
  audit: AuditEntryView[];
}

export interface AuditEntryView {
  seq: number;
  at: string;
  action: string;
  actor: string;
  details: Record<string, unknown>;
}

export interface LibraryPage {
  rows: RecordingRow[];
  nextCursor: string | null;
  /** Matching rows in all, when counted (exact up to 10,000; see `totalCapped`). */
  total: number | null;
  /** True when more rows match than `total` says: show "10,000+" rather than the number. */
  totalCapped?: boolean;
}

export interface ExportView {
  id: number;
  state: ExportState;
  destination: string;
  createdAt: string;
  filesDone: number;
  filesTotal: number;
  failures: { recordingId: number; reason: string }[];
  /** Folder to show in the file manager when done. */
  revealPath: string | null;
  /** Why it failed or stopped, in plain words. */
  error?: string | null;
}

export interface ExportProgress {
  export: ExportView;
  /** 0..1 over the whole batch. */
  fraction: number;
}

/** What an export will make, before it starts (export/export-plan.ts). */
export interface ExportPlanView {
  /** Recordings the selection names, archived or not. */
  selected: number;
  /** Of those, the ones an export can take, and the ones it cannot (not archived yet). */
  archived: number;
  notArchived: number;
  /** The files the archived ones become with these options. */
  files: number;
  /** Recordings that become two files (agent and customer). */
  split: number;
  /** Files per extension ({ mp3: 50 }), in writing order of first appearance. */
  byExtension: Record<string, number>;
  /** The first names, in writing order. */
  sampleNames: string[];
}

/** One exported file, as recorded when the export finished. */
export interface ExportFileView {
  name: string;
  bytes: number;
  sha256: string;
  recordingId: number;
  channel: string;
}

/** An export in full for the Exports screen: what was asked and what was made. */
export interface ExportDetail {
  export: ExportView;
  kind: 'folder' | 'zip';
  /** The options it ran with (null: an export stored without them). */
  options: ExportOptions | null;
  /** How many recordings it was asked to take (0: made before this was recorded). */
  recordings: number;
  files: ExportFileView[];
  /** manifest.csv as written (null until it finished), and manifest.json's SHA-256. */
  manifestCsv: string | null;
  manifestSha256: string | null;
  zipSha256: string | null;
  /** The export this one retried, if any. */
  retryOf: number | null;
  /** Why "Retry with the same settings" cannot run, or null when it can. */
  retryRefusal: string | null;
}

/** The last export's destination and options: the export dialog's defaults next time. */
export interface LastExportSettings {
  destination: { kind: 'folder' | 'zip'; path: string };
  options: ExportOptions;
}

export interface SettingsView {
  archiveDir: string;
  concurrency: number;
  dragFormat: ExportFormat;
  theme: Theme;
  /** null (or absent) until something was exported. */
  lastExport?: LastExportSettings | null;
  /** The IANA zone dates are shown in and exports default to; null: the system's zone. */
  timeZone: string | null;
  /** The library table's column widths (px) and hidden columns. */
  libraryColumns: LibraryColumnsLayout;
}

export interface VerifyReport {
  checked: number;
  ok: number;
  missing: string[];
  altered: string[];
  unindexed: string[];
  sidecarMismatches: string[];
  /** Recordings disposed of under retention: tombstones, not missing files. */
  disposed?: number;
  /** Recordings with no local file that the team vault holds (no offline copy kept). */
  inVaultOnly?: number;
}

export interface AuditVerifyReport {
  ok: boolean;
  checked: number;
  /** The seq and hash of the last entry, to publish outside the index. */
  lastSeq: number;
  lastHash: string;
  /** `count`: for missing entries, how many consecutive ones. */
  problems: { seq: number | null; kind: string; count?: number; message: string }[];
  /** How many signed checkpoints were checked against the log (issue 12). */
  checkpoints?: number;
}
