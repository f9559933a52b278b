// One archived recording to export, as the engine reads it from the index.
import type { Channel, ProviderKind } from '../providers/types.ts';

export interface ExportSource {
  /** The index's id for the recording. */
  recordingId: string;
  provider: ProviderKind;
  accountName: string;
  sessionId: string | null;
  callId: string | null;
  /** The provider's id (Kallglot rec_…, Envoy call_…). */
  remoteId: string;
  channel: Channel;
  /** ISO 8601, when the call was recorded. */
  recordedAt: string | null;
  durationSec: number | null;
  contentType: string | null;
  /** Archived file extension without the dot (mp3, wav, m4a, mp4…). */
  format: string | null;
  /** SHA-256 (hex) the archive recorded; the file is checked against it before export. */
  sha256: string;
  /** Where the archived file is. */
  absolutePath: string;
}
