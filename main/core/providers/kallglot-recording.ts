// Kallglot recording JSON → the engine's RemoteRecording.
import type { KallglotRecording } from './kallglot-schemas.ts';
import { contentTypeForFormat, knownFormat } from './recording-media.ts';
import type { RemoteRecording, RemoteStatus } from './types.ts';

/** processing → pending, ready → ready, failed → failed; past `expires_at` it is gone. */
export function kallglotStatus(recording: KallglotRecording, now: number): RemoteStatus {
  if (recording.expires_at && Date.parse(recording.expires_at) <= now) return 'gone';
  switch (recording.status) {
    case 'ready':
      return 'ready';
    case 'failed':
      return 'failed';
    default:
      // `processing` and any status word added later: ask again later.
      return 'pending';
  }
}

const AUDIO_PATH = /^\/v1\/recordings\/[A-Za-z0-9_-]{1,128}\/audio$/;

/** The `/audio` path when `download_url` is the relative direct-stream form, else null. */
export function kallglotAudioPath(downloadUrl: unknown): string | null {
  return typeof downloadUrl === 'string' && AUDIO_PATH.test(downloadUrl) ? downloadUrl : null;
}

/** `download_url` without its signed query, so the sidecar never stores a live link. */
function withoutSignature(downloadUrl: string | null | undefined): string | null {
  if (!downloadUrl) return null;
  if (downloadUrl.startsWith('/')) return downloadUrl.split(/[?#]/)[0] ?? null;
  try {
    const url = new URL(downloadUrl);
    return `${url.origin}${url.pathname}`;
  } catch {
    return null;
  }
}

export function toRemoteRecording(recording: KallglotRecording, now: number): RemoteRecording {
  const format = knownFormat(recording.format);
  return {
    provider: 'kallglot',
    remoteId: recording.id,
    sessionId: recording.session_id,
    callId: null,
    userId: null,
    channel: recording.channel,
    status: kallglotStatus(recording, now),
    providerStatus: recording.status,
    format,
    contentType: contentTypeForFormat(format),
    size: recording.size ?? null,
    durationSec: recording.duration ?? null,
    sampleRate: recording.sample_rate ?? null,
    bitDepth: recording.bit_depth ?? null,
    recordedAt: recording.created_at ?? null,
    createdAt: recording.created_at ?? null,
    expiresAt: recording.expires_at ?? null,
    phoneNumbers: [],
    providerFileName: null,
    raw: { ...recording, download_url: withoutSignature(recording.download_url) },
  };
}
