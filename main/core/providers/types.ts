// The one interface the archive engine uses for every provider. Provider-specific clients
// (kallglot.ts, koreai.ts, envoy.ts) translate their API into these shapes.
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { channelSchema, providerSchema } from '../contract/vocabulary.ts';
import type { ChannelName, ProviderName } from '../contract/vocabulary.ts';

/** The contract's provider names (contract/vocabulary.ts), as the engine calls them. */
export type ProviderKind = ProviderName;

/** Which side of the call a file holds. `mixed` is stereo: agent LEFT, customer RIGHT. */
export type Channel = ChannelName;

/**
 * The provider's status mapped to what the engine must do:
 * ready → download; pending → try again later; failed → permanent provider failure;
 * gone → deleted by retention (never coming back); none → the call or session exists but has
 * no recording (ended without media): nothing to download, and not a failure.
 */
export const remoteStatusSchema = z.enum(['ready', 'pending', 'failed', 'gone', 'none']);
export type RemoteStatus = z.output<typeof remoteStatusSchema>;

const nullableString = z.string().nullable();
const nullableNumber = z.number().nullable();

/**
 * A recording as every client describes it. A schema, so that a sidecar read back from disk
 * is checked against the very shape the clients produce.
 */
export const remoteRecordingSchema = z.object({
  provider: providerSchema,
  /** Stable id of the file at the provider (Kallglot rec_…, Envoy call_…, Kore.ai derived). */
  remoteId: z.string().min(1),
  /** Kallglot or Kore.ai session id; null for Envoy. */
  sessionId: nullableString,
  /** Envoy call id; null for the others. */
  callId: nullableString,
  /** Kore.ai user id the session belongs to. */
  userId: nullableString,
  channel: channelSchema,
  status: remoteStatusSchema,
  /** The provider's own status word, kept for display and the sidecar. */
  providerStatus: z.string(),
  /** File extension without the dot (mp3, wav, ogg, m4a, mp4), never taken as a path. */
  format: nullableString,
  contentType: nullableString,
  size: nullableNumber,
  durationSec: nullableNumber,
  sampleRate: nullableNumber,
  bitDepth: nullableNumber,
  /** When the call/recording happened (ISO 8601). */
  recordedAt: nullableString,
  createdAt: nullableString,
  /** When the provider deletes it under retention (ISO 8601), if known. */
  expiresAt: nullableString,
  /** Phone numbers attached to the call (Envoy), for search. */
  phoneNumbers: z.array(z.string()),
  /** The provider's suggested file name: display and search only, never a path. */
  providerFileName: nullableString,
  /** The provider's raw JSON for this recording, kept in the sidecar. */
  raw: z.record(z.string(), z.unknown()),
});
export type RemoteRecording = z.output<typeof remoteRecordingSchema>;

/** What the index keeps of a provider's description (there the status is `remoteStatus`). */
export type RecordingMetadata = Omit<RemoteRecording, 'status'>;

/** What a sync job asks a provider for; stored in jobs.spec_json, so parsed when read back. */
export const selectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('kallglot-session'), sessionId: z.string() }),
  z.object({ kind: z.literal('kallglot-recording'), recordingId: z.string() }),
  z.object({ kind: z.literal('koreai-session'), sessionId: z.string(), userId: z.string() }),
  z.object({
    kind: z.literal('koreai-range'),
    from: z.string(),
    to: z.string(),
    userId: z.string().optional(),
  }),
  z.object({ kind: z.literal('envoy-call'), callId: z.string() }),
  z.object({
    kind: z.literal('envoy-range'),
    from: z.string(),
    to: z.string(),
    status: z.string().optional(),
  }),
]);
export type Selection = z.output<typeof selectionSchema>;

export interface DiscoverOptions {
  channel?: Channel;
  signal?: AbortSignal;
}

export interface OpenOptions {
  /** Resume from this byte offset with a Range request. */
  offset?: number;
  /** Send If-Range with this ETag so a changed file restarts from 0. */
  etag?: string | null;
  signal?: AbortSignal;
}

export interface RemoteStream {
  body: Readable;
  /** 200 (whole file) or 206 (from `startOffset`). */
  status: 200 | 206;
  /** Byte offset the body starts at (0 when the server ignored the Range). */
  startOffset: number;
  /** Bytes this response should deliver (Content-Length), if given. */
  contentLength: number | null;
  /** Size of the whole file, from Content-Range / Content-Length / the provider's metadata. */
  totalSize: number | null;
  etag: string | null;
  acceptRanges: boolean;
  contentType: string | null;
  /**
   * The provider's suggested file name (e.g. from Content-Disposition), cleaned for display:
   * no path separators, control characters or NUL. Display and search only, never a path.
   */
  fileName?: string | null;
}

export interface ProviderClient {
  readonly provider: ProviderKind;
  /** Checks the credentials with one cheap authenticated request. Throws ProviderError. */
  test(signal?: AbortSignal): Promise<void>;
  /** Lists every recording a selection contains, following pagination. */
  discover(selection: Selection, options?: DiscoverOptions): AsyncIterable<RemoteRecording>;
  /** Fresh metadata for one recording (status may have changed since discovery). */
  describe(recording: RemoteRecording, signal?: AbortSignal): Promise<RemoteRecording>;
  /** Opens the recording's bytes, in the original format, with a fresh signed URL. */
  open(recording: RemoteRecording, options?: OpenOptions): Promise<RemoteStream>;
  /**
   * Optional: starts the API round trip `open` will need for a recording about to be
   * downloaded (asking for its signed URL), so it overlaps the download before it. `open` uses
   * the answer if it comes for that recording; never needed for correctness, never throws.
   */
  prefetch?(recording: RemoteRecording, signal?: AbortSignal): void;
}

export interface KallglotAccountConfig {
  provider: 'kallglot';
  baseUrl: string;
  apiKey: string;
}
export interface KoreaiAccountConfig {
  provider: 'koreai';
  host: string;
  botId: string;
  clientId: string;
  clientSecret: string;
}
export interface EnvoyAccountConfig {
  provider: 'envoy';
  baseUrl: string;
  apiKey: string;
  organizationId?: string | null;
}
export type AccountConfig = KallglotAccountConfig | KoreaiAccountConfig | EnvoyAccountConfig;
