// Turns Kore.ai v2 recordings replies into RemoteRecordings: status words, stable ids derived
// from the session and the file, channel and format. Kore.ai files have no id of their own and
// their fileName is provider text, so ids are built from a hash instead of the name itself.
import { createHash } from 'node:crypto';
import {
  contentTypeForFormat,
  formatFromName,
  parseMediaUrl,
  redactUrl,
} from './recording-media.ts';
import { cleanFileName } from './stream.ts';
import type { KoreaiRecordingEntry, KoreaiSession } from './koreai-schemas.ts';
import type { Channel, RemoteRecording, RemoteStatus } from './types.ts';

export const KOREAI_RECORDINGS_ENDPOINT = '/api/public/bot/{botId}/v2/recordings';

/**
 * Documented statuses. `media_unavailable` is mapped to pending rather than gone: the docs say
 * only that the server does not have it (yet), and giving up early would lose a recording that
 * appears later. Words not in this table are also treated as pending, with the word kept.
 */
const STATUS_MAP: Record<string, RemoteStatus> = {
  success: 'ready',
  media_unavailable: 'pending',
  call_in_progress: 'pending',
  media_in_progress: 'pending',
  failed: 'failed',
};

export function mapKoreaiStatus(word: string): RemoteStatus {
  return STATUS_MAP[word.toLowerCase()] ?? 'pending';
}

/** Key of the placeholder yielded for a session whose files are not (yet) listed. */
export const SESSION_PLACEHOLDER_KEY = 'session';

export function koreaiRemoteId(sessionId: string, key: string): string {
  return `${sessionId}:${key}`;
}

/** The file key part of a remoteId built by koreaiRemoteId (session ids never hold `:`-keys). */
export function koreaiKeyOf(remoteId: string): string {
  return remoteId.slice(remoteId.lastIndexOf(':') + 1);
}

function stemOf(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  return last.replace(/\.[A-Za-z0-9]{1,5}$/, '');
}

/** `…-merged` files are the stereo mix; per-side files are named by the side they hold. */
export function koreaiChannel(fileName: string): Channel {
  const stem = stemOf(fileName).toLowerCase();
  if (/[-_]agent$/.test(stem)) return 'agent';
  if (/[-_](customer|caller|user)$/.test(stem)) return 'customer';
  return 'mixed';
}

/**
 * A key that is the same every time the same file is listed: the channel word for readability
 * plus a hash of the provider's file name (or URL path when the name is empty). The signed query
 * changes on every call, so it never takes part.
 */
export function koreaiFileKey(entry: KoreaiRecordingEntry): string {
  const identity = entry.fileName !== '' ? entry.fileName : redactUrl(entry.fileUrl);
  const hash = createHash('sha256').update(identity, 'utf8').digest('hex').slice(0, 16);
  const stem = stemOf(entry.fileName).toLowerCase();
  const label = stem.endsWith('merged') ? 'merged' : koreaiChannel(entry.fileName);
  return `${label}-${hash}`;
}

export interface KeyedKoreaiFile {
  entry: KoreaiRecordingEntry;
  key: string;
}

/** Keys for every file of one reply; a repeated file name gets `-2`, `-3`… in list order. */
export function koreaiKeyedFiles(files: readonly KoreaiRecordingEntry[]): KeyedKoreaiFile[] {
  const counts = new Map<string, number>();
  return files.map((entry) => {
    const base = koreaiFileKey(entry);
    const n = (counts.get(base) ?? 0) + 1;
    counts.set(base, n);
    return { entry, key: n === 1 ? base : `${base}-${n}` };
  });
}

export interface KoreaiSessionContext {
  sessionId: string;
  userId: string;
  /** The getSessions entry, when the session was found through range discovery. */
  session?: KoreaiSession | null;
}

function base(ctx: KoreaiSessionContext, status: string): Omit<RemoteRecording, 'remoteId'> {
  return {
    provider: 'koreai',
    sessionId: ctx.sessionId,
    callId: null,
    userId: ctx.userId,
    channel: 'mixed',
    status: mapKoreaiStatus(status),
    providerStatus: status,
    format: null,
    contentType: null,
    size: null,
    durationSec: null,
    sampleRate: null,
    bitDepth: null,
    recordedAt: ctx.session?.start_time ?? null,
    createdAt: null,
    // Kore.ai publishes no per-recording retention date; `e=` is only the URL's expiry.
    expiresAt: null,
    phoneNumbers: [],
    providerFileName: null,
    raw: {},
  };
}

/** The file's signed URL, checked (https, no credentials). */
export function koreaiFileUrl(entry: KoreaiRecordingEntry): URL {
  return parseMediaUrl(entry.fileUrl, {
    provider: 'koreai',
    endpoint: KOREAI_RECORDINGS_ENDPOINT,
    field: 'recording[].fileUrl',
  });
}

/** One file of a `success` reply. */
export function koreaiFileRecording(
  ctx: KoreaiSessionContext,
  status: string,
  entry: KoreaiRecordingEntry,
  key: string = koreaiFileKey(entry),
): RemoteRecording {
  const url = koreaiFileUrl(entry);
  const format = formatFromName(url.pathname) ?? formatFromName(entry.fileName);
  return {
    ...base(ctx, status),
    remoteId: koreaiRemoteId(ctx.sessionId, key),
    channel: koreaiChannel(entry.fileName),
    format,
    contentType: contentTypeForFormat(format),
    // Display text only (never a path): cleaned of path parts and control characters.
    providerFileName: cleanFileName(entry.fileName),
    // The signed query is a short-lived credential: keep the file's address, not the signature.
    raw: {
      status,
      ...entry,
      fileUrl: redactUrl(entry.fileUrl),
      ...(ctx.session ? { session: ctx.session } : {}),
    },
  };
}

/**
 * Whether a session answered `media_unavailable` after its call ended: then it has no recording
 * (issue 14), not a recording still to come. Only the getSessions entry says when the call ended
 * (`end_time`; the recordings reply has no time), so a session named by id alone, with no entry,
 * keeps waiting. `call_in_progress` and `media_in_progress` are never "no recording".
 */
export function koreaiHasNoRecording(
  ctx: KoreaiSessionContext,
  status: string,
  now: number = Date.now(),
): boolean {
  if (status.toLowerCase() !== 'media_unavailable') return false;
  const ended = Date.parse(ctx.session?.end_time ?? '');
  return Number.isFinite(ended) && ended <= now;
}

/**
 * Stands for a session that has no files to list (call or media still in progress, unavailable,
 * failed) so the engine knows to come back. Once the session succeeds, describe() resolves it to
 * its mixed file; discover() lists every file. A session whose call ended without media is
 * `none` (no recording).
 */
export function koreaiSessionPlaceholder(
  ctx: KoreaiSessionContext,
  status: string,
  now: number = Date.now(),
): RemoteRecording {
  const mapped = base(ctx, status);
  return {
    ...mapped,
    // `success` with an empty list has nothing to download yet: wait rather than mark it ready.
    status: koreaiHasNoRecording(ctx, status, now)
      ? 'none'
      : mapped.status === 'ready'
        ? 'pending'
        : mapped.status,
    remoteId: koreaiRemoteId(ctx.sessionId, SESSION_PLACEHOLDER_KEY),
    raw: { status, ...(ctx.session ? { session: ctx.session } : {}) },
  };
}
