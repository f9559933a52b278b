// Every word list of the domain, defined once as zod enums. The renderer, the CLI's argument
// parsing and help text, the job spec and the export core all read these: a second literal
// list elsewhere is refused by test/unit/contract/one-vocabulary.test.ts.
// Zod only (no node:*), so the renderer can import it.
import { z } from 'zod';

export const providerSchema = z.enum(['kallglot', 'koreai', 'envoy']);
export type ProviderName = z.output<typeof providerSchema>;
export const PROVIDER_NAMES = providerSchema.options;

/** Which side of the call a file holds. `mixed` is stereo: agent LEFT, customer RIGHT. */
export const channelSchema = z.enum(['mixed', 'agent', 'customer']);
export type ChannelName = z.output<typeof channelSchema>;
export const CHANNEL_NAMES = channelSchema.options;
/** The files a split yields, in input-channel order: agent LEFT (0), customer RIGHT (1). */
export const SPLIT_CHANNELS = ['agent', 'customer'] as const satisfies readonly ChannelName[];
export type SplitChannel = (typeof SPLIT_CHANNELS)[number];

/**
 * Where a recording stands in the archive:
 * discovered → known, not yet fetched; downloading → a worker holds it; archived → file and
 * checksum on disk; pending → retry at next_attempt_at; failed → gave up (provider failure or
 * too many attempts); gone → deleted by the provider before it was archived; skipped → the user
 * excluded it; no_recording → the call or session exists but the provider has no media for it
 * (not a failure: nothing was ever recorded).
 */
export const recordingStateSchema = z.enum([
  'discovered',
  'downloading',
  'archived',
  'pending',
  'failed',
  'gone',
  'skipped',
  'no_recording',
]);
export type RecordingState = z.output<typeof recordingStateSchema>;
export const RECORDING_STATES = recordingStateSchema.options;

export const jobStateSchema = z.enum([
  'queued',
  'running',
  'paused',
  'done',
  'failed',
  'cancelled',
]);
export type JobState = z.output<typeof jobStateSchema>;
export const JOB_STATES = jobStateSchema.options;

export const exportStateSchema = z.enum(['running', 'done', 'failed', 'cancelled']);
export type ExportState = z.output<typeof exportStateSchema>;

/** `original` copies the archived bytes; the others convert with ffmpeg. */
export const exportFormatSchema = z.enum(['original', 'mp3', 'wav', 'ogg', 'flac', 'm4a', 'opus']);
export type ExportFormat = z.output<typeof exportFormatSchema>;
export const EXPORT_FORMATS = exportFormatSchema.options;

/** Formats a bitrate may be asked for (the others are byte copies or lossless). */
export const LOSSY_FORMATS: readonly ExportFormat[] = ['mp3', 'ogg', 'm4a', 'opus'];

export const SAMPLE_RATES = [8000, 16000, 22050, 44100, 48000] as const;
export const sampleRateSchema = z.union([
  z.literal('keep'),
  ...SAMPLE_RATES.map((rate) => z.literal(rate)),
]);
export type SampleRate = z.output<typeof sampleRateSchema>;
/** `keep` first, then each rate: the order a picker shows them. */
export const SAMPLE_RATE_CHOICES: readonly SampleRate[] = ['keep', ...SAMPLE_RATES];

/** split: a stereo recording → agent file (LEFT) + customer file (RIGHT). */
export const channelModeSchema = z.enum(['keep', 'mono', 'split']);
export type ChannelMode = z.output<typeof channelModeSchema>;
export const CHANNEL_MODES = channelModeSchema.options;

/** For sources with a video stream: keep it (where the format can hold it) or drop it. */
export const videoModeSchema = z.enum(['keep', 'audio-only']);
export type VideoMode = z.output<typeof videoModeSchema>;
export const VIDEO_MODES = videoModeSchema.options;

/** How an export is packaged: plain files with manifests, or an RFC 8493 BagIt bag with custody. */
export const exportPackageSchema = z.enum(['files', 'bag']);
export type ExportPackage = z.output<typeof exportPackageSchema>;
export const EXPORT_PACKAGES = exportPackageSchema.options;

/** eDiscovery load files a production can carry (core/export/production): Concordance DAT, EDRM XML 1.2. */
export const loadFileKindSchema = z.enum(['dat', 'edrm']);
export type LoadFileKind = z.output<typeof loadFileKindSchema>;
export const LOAD_FILE_KINDS = loadFileKindSchema.options;

/** The DAT's text encoding: UTF-8 with a BOM, or UTF-16LE with a BOM (older Concordance). */
export const datEncodingSchema = z.enum(['utf-8', 'utf-16le']);
export type DatEncoding = z.output<typeof datEncodingSchema>;
export const DAT_ENCODINGS = datEncodingSchema.options;

/** A production profile: none, or a regulator's audio submission (a zip, in a custody bag). */
export const productionProfileSchema = z.enum(['none', 'sec-audio']);
export type ProductionProfile = z.output<typeof productionProfileSchema>;
export const PRODUCTION_PROFILES = productionProfileSchema.options;
/** What plays in Windows' own player: the formats the sec-audio profile converts to. */
export const SEC_AUDIO_FORMATS = ['mp3', 'wav'] as const satisfies readonly ExportFormat[];

export const librarySortSchema = z.enum([
  'recorded_desc',
  'recorded_asc',
  'expires_asc',
  'size_desc',
  'duration_desc',
]);
export type LibrarySort = z.output<typeof librarySortSchema>;
export const LIBRARY_SORTS = librarySortSchema.options;

export const themeSchema = z.enum(['system', 'light', 'dark']);
export type Theme = z.output<typeof themeSchema>;
export const THEMES = themeSchema.options;

/** The library table's columns, in their order on screen (a user may hide or resize each). */
export const libraryColumnSchema = z.enum([
  'date',
  'provider',
  'account',
  'session',
  'tags',
  'channel',
  'duration',
  'format',
  'size',
  'state',
  'expires',
]);
export type LibraryColumn = z.output<typeof libraryColumnSchema>;
export const LIBRARY_COLUMNS = libraryColumnSchema.options;

/** Column widths a user may drag to, in CSS pixels. */
export const LIBRARY_COLUMN_WIDTH = { min: 40, max: 800 } as const;

/** The library table's layout as a user left it: remembered in the settings. */
export const libraryColumnsSchema = z
  .object({
    widths: z
      .partialRecord(
        libraryColumnSchema,
        z.number().int().min(LIBRARY_COLUMN_WIDTH.min).max(LIBRARY_COLUMN_WIDTH.max),
      )
      .default({}),
    hidden: z.array(libraryColumnSchema).max(LIBRARY_COLUMNS.length).default([]),
  })
  .strict();
export type LibraryColumnsLayout = z.output<typeof libraryColumnsSchema>;

/**
 * The layout before the user changes it: what fits beside the details at 1280 px and under
 * the drawer at 1024 px. Provider (the account says it), format and size are a click away.
 */
export const LIBRARY_COLUMNS_DEFAULT: LibraryColumnsLayout = {
  widths: {},
  hidden: ['provider', 'format', 'size'],
};

/** The `{token}`s a file-name template understands. */
export const templateTokenSchema = z.enum([
  'provider',
  'account',
  'session',
  'call',
  'recording',
  'id',
  'channel',
  'date',
  'time',
  'duration',
]);
export type TemplateToken = z.output<typeof templateTokenSchema>;
export const TEMPLATE_TOKENS = templateTokenSchema.options;

/** The tokens as a user writes them: `{provider} {account} …`. */
export function templateTokenList(separator = ' '): string {
  return TEMPLATE_TOKENS.map((token) => `{${token}}`).join(separator);
}

/** Bitrates a user may ask a lossy encoder for, kbit/s. */
export const BITRATE_KBPS = { min: 32, max: 320 } as const;

/** What an export does when the user asks for nothing else. */
export const EXPORT_DEFAULTS = {
  format: 'original',
  bitrateKbps: 128,
  sampleRate: 'keep',
  channels: 'keep',
  video: 'keep',
  loudnorm: false,
  fileNameTemplate: '{provider}_{account}_{date}_{time}_{recording}_{channel}',
  timeZone: 'UTC',
} as const satisfies {
  format: ExportFormat;
  bitrateKbps: number;
  sampleRate: SampleRate;
  channels: ChannelMode;
  video: VideoMode;
  loudnorm: boolean;
  fileNameTemplate: string;
  timeZone: string;
};

/** Defaults of the app's settings. */
export const SETTINGS_DEFAULTS = {
  concurrency: 4,
  dragFormat: 'original',
  theme: 'system',
  /** The zone dates are shown in; null: the system's. */
  timeZone: null,
} as const satisfies {
  concurrency: number;
  dragFormat: ExportFormat;
  theme: Theme;
  timeZone: string | null;
};

/** Downloads running at once: the range settings and the CLI's --concurrency accept. */
export const CONCURRENCY = { min: 1, max: 16 } as const;

/** Units a retention rule keeps recordings for, after the recording date. */
export const keepUnitSchema = z.enum(['days', 'years']);
export type KeepUnit = z.output<typeof keepUnitSchema>;

/** A team vault's Object Lock mode (issue 17): compliance (nobody can shorten), governance. */
export const vaultModeSchema = z.enum(['compliance', 'governance']);
export const VAULT_MODES = vaultModeSchema.options;
export type VaultMode = z.output<typeof vaultModeSchema>;

/**
 * Envoy's call statuses (GET /calls?status=…, matched exactly by Envoy): the sync form offers
 * these, and warns before sending any other word, which would find no calls.
 */
export const ENVOY_CALL_STATUSES = [
  'COMPLETED',
  'ENDED',
  'FINISHED',
  'IN_PROGRESS',
  'ACTIVE',
  'RINGING',
  'QUEUED',
  'ONGOING',
] as const;

/**
 * Where the request limit an account is held to comes from (issue 16): the user's setting (a
 * hard ceiling), the server's advertised X-RateLimit-Limit, or the provider's lowest tier.
 */
export const rateLimitSourceSchema = z.enum(['user', 'server', 'provider']);
export const RATE_LIMIT_SOURCES = rateLimitSourceSchema.options;
export type RateLimitSource = z.output<typeof rateLimitSourceSchema>;
