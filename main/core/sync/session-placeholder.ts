// Kore.ai lists nothing for a session whose call or media is still in progress, so discovery
// records one placeholder row (`<session>:session`) to come back to. Once the session is
// ready, that row stands for files that now have rows of their own: it is retired, so the
// index never keeps a recording that can never be archived (nor archives a file under it).
import {
  SESSION_PLACEHOLDER_KEY,
  koreaiKeyOf,
  koreaiRemoteId,
} from '../providers/koreai-recording.ts';
import { deleteUnarchived } from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';
import type { RemoteRecording, Selection } from '../providers/types.ts';

export function isSessionPlaceholder(recording: Pick<RemoteRecording, 'provider' | 'remoteId'>) {
  return (
    recording.provider === 'koreai' && koreaiKeyOf(recording.remoteId) === SESSION_PLACEHOLDER_KEY
  );
}

/** The selection that lists every file of the placeholder's session. */
export function placeholderSelection(recording: RemoteRecording): Selection | null {
  if (!isSessionPlaceholder(recording) || !recording.sessionId || !recording.userId) return null;
  return { kind: 'koreai-session', sessionId: recording.sessionId, userId: recording.userId };
}

/**
 * Deletes the session's placeholder row (and its job items) unless something was archived
 * under it. Returns whether a row went.
 */
export function retireSessionPlaceholder(db: Db, accountId: number, sessionId: string): boolean {
  const remoteId = koreaiRemoteId(sessionId, SESSION_PLACEHOLDER_KEY);
  return deleteUnarchived(db, accountId, remoteId);
}
