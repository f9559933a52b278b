// Turns Envoy calls and recording replies into RemoteRecordings. One call has one recording,
// so the call id is the remote id.
import { formatFromContentType, formatFromName, redactUrl } from './recording-media.ts';
import type { EnvoyCall, EnvoyRecording } from './envoy-schemas.ts';
import type { RemoteRecording, RemoteStatus } from './types.ts';

/**
 * Envoy documents recording_status only as a string (examples use AVAILABLE). Known words are
 * mapped below. Unknown words count as pending with the word kept in providerStatus: retrying
 * costs one request later, whereas calling an unknown state failed or gone could lose a
 * recording that is still coming.
 */
const STATUS_MAP: Record<string, RemoteStatus> = {
  AVAILABLE: 'ready',
  COMPLETED: 'ready',
  COMPLETE: 'ready',
  READY: 'ready',
  PROCESSING: 'pending',
  IN_PROGRESS: 'pending',
  PENDING: 'pending',
  RECORDING: 'pending',
  QUEUED: 'pending',
  FAILED: 'failed',
  ERROR: 'failed',
  DELETED: 'gone',
  EXPIRED: 'gone',
  // The call happened but nothing was recorded (issue 14: not a failure).
  NONE: 'none',
  NO_RECORDING: 'none',
  NOT_RECORDED: 'none',
};

/** The word kept as providerStatus when Envoy has no recording for a call that ended. */
export const ENVOY_NO_RECORDING = 'NO_RECORDING';

/** Call statuses of a call still going on: its recording may yet come. */
const LIVE_CALL = new Set(['IN_PROGRESS', 'ACTIVE', 'RINGING', 'QUEUED', 'ONGOING']);

/**
 * Whether the call is over: not in a live status, and its end time (else its status word) says
 * so. Only then can a missing recording mean "no recording" rather than "not yet".
 */
export function envoyCallEnded(call: EnvoyCall | null, now: number = Date.now()): boolean {
  if (!call) return false;
  const status = (call.status ?? '').trim().toUpperCase();
  if (LIVE_CALL.has(status)) return false;
  const end = Date.parse(call.call_end_time ?? '');
  if (Number.isFinite(end)) return end <= now;
  return status === 'COMPLETED' || status === 'ENDED' || status === 'FINISHED';
}

export const ENVOY_UNKNOWN_STATUS = 'UNKNOWN';

export function mapEnvoyStatus(word: string): RemoteStatus {
  return STATUS_MAP[word.trim().toUpperCase()] ?? 'pending';
}

function phoneNumbersOf(call: EnvoyCall | null): string[] {
  if (!call) return [];
  const numbers = [call.phone_number, call.from_number, call.to_number].filter(
    (n): n is string => typeof n === 'string' && n.trim() !== '',
  );
  return [...new Set(numbers)];
}

/** The format of the recording: from its MIME type, else from the URL's file extension. */
export function envoyFormat(recording: EnvoyRecording): string | null {
  const fromType = formatFromContentType(recording.content_type);
  if (fromType) return fromType;
  if (!recording.url) return null;
  try {
    return formatFromName(new URL(recording.url).pathname);
  } catch {
    return null;
  }
}

/**
 * Builds the RemoteRecording from whatever is known: the call from the list (or Get a call)
 * and/or the recording reply. The recording reply wins where both speak.
 */
export function envoyRemoteRecording(
  callId: string,
  call: EnvoyCall | null,
  recording: EnvoyRecording | null,
  now: number = Date.now(),
): RemoteRecording {
  const listed = recording?.recording_status ?? call?.recording_status;
  // A call that ended and is listed with no recording status at all has no recording.
  const statusWord =
    listed?.trim() ||
    (recording === null && envoyCallEnded(call, now) ? ENVOY_NO_RECORDING : ENVOY_UNKNOWN_STATUS);
  return {
    provider: 'envoy',
    remoteId: callId,
    sessionId: null,
    callId,
    userId: null,
    channel: 'mixed',
    status: mapEnvoyStatus(statusWord),
    providerStatus: statusWord,
    format: recording ? envoyFormat(recording) : null,
    contentType: recording?.content_type ?? null,
    size: recording?.file_size_bytes ?? null,
    durationSec: recording?.duration_seconds ?? null,
    sampleRate: null,
    bitDepth: null,
    recordedAt: recording?.recording_start_time ?? call?.call_time ?? call?.call_start_time ?? null,
    createdAt: null,
    // expires_at in the recording reply is when the playback URL stops working, not retention.
    expiresAt: null,
    phoneNumbers: phoneNumbersOf(call),
    providerFileName: null,
    raw: {
      ...(call ? { call } : {}),
      ...(recording
        ? { recording: { ...recording, url: recording.url ? redactUrl(recording.url) : null } }
        : {}),
    },
  };
}
