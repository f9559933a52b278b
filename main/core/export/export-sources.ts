import path from 'node:path';
import type { LibraryQuery } from '../contract/types.ts';
import type { Recording } from '../db/recording-row.ts';
import { getRecording } from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';
import type { ExportSource } from '../convert/source.ts';
import { searchRecordings } from '../db/search/search-recordings.ts';
import { AppError } from '../app-error.ts';
import { assertSafeRelativePath } from '../archive/inside-archive.ts';

/** Every archived recording a selection (ids, or a library query) names, in index order. */
export function selectArchived(
  db: Db,
  ids: readonly number[],
  query: LibraryQuery | null,
): Recording[] {
  const { archived, notArchived } = splitSelection(selectRecordings(db, ids, query));
  if (notArchived.length) {
    const names = notArchived
      .slice(0, 5)
      .map((r) => r.remoteId)
      .join(', ');
    throw new AppError(
      'conflict',
      `${notArchived.length} of the selected recordings are not archived yet (${names}${notArchived.length > 5 ? ', …' : ''}).`,
    );
  }
  if (archived.length === 0) throw new AppError('invalid_arguments', 'Nothing selected to export.');
  return archived;
}

/** A recording an export can read: archived, with its file and its hash on record. */
export function isExportable(r: Recording): boolean {
  return r.state === 'archived' && Boolean(r.localPath) && Boolean(r.sha256);
}

export function splitSelection(picked: readonly Recording[]): {
  archived: Recording[];
  notArchived: Recording[];
} {
  return {
    archived: picked.filter(isExportable),
    notArchived: picked.filter((r) => !isExportable(r)),
  };
}

/** Every recording a selection (ids, or a library query) names, archived or not. */
export function selectRecordings(
  db: Db,
  ids: readonly number[],
  query: LibraryQuery | null,
): Recording[] {
  const picked: Recording[] = [];
  if (ids.length) {
    for (const id of ids) {
      const recording = getRecording(db, id);
      if (!recording) throw new AppError('not_found', `No recording with id ${id}.`);
      picked.push(recording);
    }
  } else if (query) {
    let cursor: string | null = null;
    do {
      const page = searchRecordings(db, { ...query, cursor, limit: 500 });
      picked.push(...page.rows);
      cursor = page.nextCursor;
    } while (cursor);
  }
  return picked;
}

export function exportSource(
  recording: Recording,
  accountName: string,
  archiveRoot: string,
): ExportSource {
  const segments = assertSafeRelativePath(recording.localPath!);
  return {
    recordingId: String(recording.id),
    provider: recording.provider,
    accountName,
    sessionId: recording.sessionId,
    callId: recording.callId,
    remoteId: recording.remoteId,
    channel: recording.channel,
    recordedAt: recording.recordedAt ?? recording.createdAt,
    durationSec: recording.durationSec,
    contentType: recording.contentType,
    format: path.extname(recording.localPath!).slice(1) || recording.format,
    sha256: recording.sha256!,
    absolutePath: path.join(archiveRoot, ...segments),
  };
}
