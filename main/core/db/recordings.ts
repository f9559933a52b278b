import { posix } from 'node:path';
import type { RemoteRecording } from '../providers/types.ts';
import { IndexInputError, RowNotFoundError } from './errors.ts';
import { recordingColumns, toRecording } from './recording-row.ts';
import type { Recording, RecordingRow } from './recording-row.ts';
import { stateAfterDiscovery } from './recording-state.ts';
import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';
import { toIsoOrNull } from './timestamps.ts';
import { inTransaction } from './transaction.ts';

const COLUMNS = recordingColumns('recordings');

/** Provider metadata a list endpoint may leave out, by column: a known value is kept then. */
const LISTED: Record<string, (remote: RemoteRecording) => string | number | null> = {
  session_id: (remote) => remote.sessionId,
  call_id: (remote) => remote.callId,
  user_id: (remote) => remote.userId,
  format: (remote) => remote.format,
  content_type: (remote) => remote.contentType,
  size: (remote) => remote.size,
  duration_sec: (remote) => remote.durationSec,
  sample_rate: (remote) => remote.sampleRate,
  bit_depth: (remote) => remote.bitDepth,
  recorded_at: (remote) => toIsoOrNull(remote.recordedAt),
  created_at: (remote) => toIsoOrNull(remote.createdAt),
  expires_at: (remote) => toIsoOrNull(remote.expiresAt),
  provider_file_name: (remote) => remote.providerFileName,
};
const LISTED_COLUMNS = Object.keys(LISTED);

/** What every discovery sets: the provider's current word on the recording. */
const SEEN_COLUMNS = [
  'channel',
  'provider_status',
  'remote_status',
  'state',
  'phone_numbers',
  'raw_json',
  'updated_at',
] as const;

const INSERTED_COLUMNS = [
  'account_id',
  'provider',
  'remote_id',
  'discovered_at',
  ...SEEN_COLUMNS,
  ...LISTED_COLUMNS,
];

const INSERT_DISCOVERED = `INSERT INTO recordings (${INSERTED_COLUMNS.join(', ')})
  VALUES (${INSERTED_COLUMNS.map((column) => `@${column}`).join(', ')})
  RETURNING ${COLUMNS}`;

const UPDATE_REDISCOVERED = `UPDATE recordings SET
  ${[
    ...SEEN_COLUMNS.map((column) => `${column} = @${column}`),
    ...LISTED_COLUMNS.map((column) => `${column} = coalesce(@${column}, ${column})`),
  ].join(', ')}
  WHERE id = @id RETURNING ${COLUMNS}`;

export interface UpsertResult {
  recording: Recording;
  inserted: boolean;
}

/**
 * Records what discovery saw. A new recording is inserted; a known one gets fresh provider
 * metadata, but nothing the archive owns (state of archived/downloading/skipped rows, local
 * path, size, checksum, attempts, notes, tags) is touched. A field the provider left out this
 * time keeps its earlier value, since list endpoints say less than describe endpoints.
 */
export function upsertDiscovered(
  db: Db,
  accountId: number,
  remote: RemoteRecording,
  now: Date = new Date(),
): UpsertResult {
  return inTransaction(db, (): UpsertResult => {
    const account = cachedStatement(db, 'SELECT provider FROM accounts WHERE id = ?').get(
      accountId,
    ) as { provider: string } | undefined;
    if (!account) throw new RowNotFoundError('accounts', accountId);
    if (account.provider !== remote.provider) {
      throw new IndexInputError(
        `A ${remote.provider} recording cannot belong to a ${account.provider} account.`,
      );
    }
    const existing = findByRemote(db, accountId, remote.remoteId);
    const at = now.toISOString();
    const listed = Object.fromEntries(
      LISTED_COLUMNS.map((column) => [column, LISTED[column]!(remote)]),
    );
    const seen = {
      ...listed,
      channel: remote.channel,
      provider_status: remote.providerStatus,
      remote_status: remote.status,
      updated_at: at,
    };

    if (!existing) {
      const row = cachedStatement(db, INSERT_DISCOVERED).get({
        ...seen,
        account_id: accountId,
        provider: remote.provider,
        remote_id: remote.remoteId,
        state: stateAfterDiscovery(null, remote.status),
        phone_numbers: JSON.stringify(uniqueStrings(remote.phoneNumbers)),
        raw_json: JSON.stringify(remote.raw),
        discovered_at: at,
      }) as RecordingRow;
      return { recording: toRecording(row), inserted: true };
    }

    const phoneNumbers = uniqueStrings([...existing.phoneNumbers, ...remote.phoneNumbers]);
    const row = cachedStatement(db, UPDATE_REDISCOVERED).get({
      ...seen,
      id: existing.id,
      state: stateAfterDiscovery(existing.state, remote.status),
      phone_numbers: JSON.stringify(phoneNumbers),
      raw_json: JSON.stringify({ ...existing.raw, ...remote.raw }),
    }) as RecordingRow;
    return { recording: toRecording(row), inserted: false };
  });
}

export function getRecording(db: Db, id: number): Recording | null {
  const row = cachedStatement(db, `SELECT ${COLUMNS} FROM recordings WHERE id = ?`).get(id) as
    RecordingRow | undefined;
  return row ? toRecording(row) : null;
}

export function findByRemote(db: Db, accountId: number, remoteId: string): Recording | null {
  const row = cachedStatement(
    db,
    `SELECT ${COLUMNS} FROM recordings WHERE account_id = ? AND remote_id = ?`,
  ).get(accountId, remoteId) as RecordingRow | undefined;
  return row ? toRecording(row) : null;
}

/** A worker took the recording; counts the attempt. */
export function markDownloading(db: Db, id: number, now: Date = new Date()): Recording {
  return updateOne(
    db,
    id,
    `state = 'downloading', attempts = attempts + 1, next_attempt_at = NULL`,
    {},
    now,
  );
}

export interface ArchivedFile {
  /** Relative to the archive root, forward slashes, no `..`. */
  localPath: string;
  localSize: number;
  /** Lower-case hex SHA-256 of the archived bytes. */
  sha256: string;
  archivedAt: Date | string;
}

export function markArchived(
  db: Db,
  id: number,
  file: ArchivedFile,
  now: Date = new Date(),
): Recording {
  assertRelativeArchivePath(file.localPath);
  if (!/^[0-9a-f]{64}$/.test(file.sha256)) {
    throw new IndexInputError('sha256 must be 64 lower-case hex digits.');
  }
  if (!Number.isSafeInteger(file.localSize) || file.localSize < 0) {
    throw new IndexInputError('localSize must be a non-negative integer.');
  }
  return updateOne(
    db,
    id,
    `state = 'archived', local_path = @local_path, local_size = @local_size, sha256 = @sha256,
     archived_at = @archived_at, last_error = NULL, next_attempt_at = NULL`,
    {
      local_path: file.localPath,
      local_size: file.localSize,
      sha256: file.sha256,
      archived_at: toIso(file.archivedAt),
    },
    now,
  );
}

/** Not possible yet (provider still processing, rate limit, network): try at `nextAttemptAt`. */
export function markPending(
  db: Db,
  id: number,
  reason: string,
  nextAttemptAt: Date | string,
  now: Date = new Date(),
): Recording {
  return updateOne(
    db,
    id,
    `state = 'pending', last_error = @reason, next_attempt_at = @next_attempt_at`,
    { reason, next_attempt_at: toIso(nextAttemptAt) },
    now,
  );
}

/**
 * A recording waiting for its retry becomes due now: someone asked for it again (a new sync),
 * so the earlier backoff no longer applies. Other states are left alone.
 */
export function retryNow(db: Db, id: number, now: Date = new Date()): Recording {
  const recording = getRecording(db, id);
  if (!recording) throw new RowNotFoundError('recordings', id);
  if (recording.state !== 'pending') return recording;
  return updateOne(db, id, 'next_attempt_at = @at', { at: now.toISOString() }, now);
}

/** Given up: a permanent provider failure or too many attempts. */
export function markFailed(db: Db, id: number, reason: string, now: Date = new Date()): Recording {
  return updateOne(
    db,
    id,
    `state = 'failed', last_error = @reason, next_attempt_at = NULL`,
    { reason },
    now,
  );
}

/**
 * The provider deleted it. An archived recording stays archived (we still have it); only its
 * remote status records the loss.
 */
export function markGone(
  db: Db,
  id: number,
  reason: string | null = null,
  now: Date = new Date(),
): Recording {
  return updateOne(
    db,
    id,
    `remote_status = 'gone', next_attempt_at = NULL,
     state = CASE state WHEN 'archived' THEN 'archived' ELSE 'gone' END,
     last_error = CASE state WHEN 'archived' THEN last_error ELSE coalesce(@reason, last_error) END`,
    { reason },
    now,
  );
}

/**
 * The provider has no media for this call or session (see providers/types.ts `none`). An
 * archived recording stays archived.
 */
export function markNoRecording(
  db: Db,
  id: number,
  reason: string | null = null,
  now: Date = new Date(),
): Recording {
  return updateOne(
    db,
    id,
    `remote_status = 'none', next_attempt_at = NULL,
     state = CASE state WHEN 'archived' THEN 'archived' ELSE 'no_recording' END,
     last_error = CASE state WHEN 'archived' THEN last_error ELSE coalesce(@reason, last_error) END`,
    { reason },
    now,
  );
}

/** The user excludes a recording from downloads, or takes it back (→ discovered). */
export function setSkipped(
  db: Db,
  id: number,
  skipped: boolean,
  now: Date = new Date(),
): Recording {
  const recording = getRecording(db, id);
  if (!recording) throw new RowNotFoundError('recordings', id);
  if (recording.state === 'archived') return recording;
  if (!skipped && recording.state !== 'skipped') return recording;
  return updateOne(db, id, `state = @state`, { state: skipped ? 'skipped' : 'discovered' }, now);
}

export function setNotes(db: Db, id: number, notes: string, now: Date = new Date()): Recording {
  return updateOne(db, id, 'notes = @notes', { notes }, now);
}

/** Tags are trimmed, de-duplicated case-insensitively (first spelling wins) and kept in order. */
export function setTags(
  db: Db,
  id: number,
  tags: readonly string[],
  now: Date = new Date(),
): Recording {
  const seen = new Set<string>();
  const clean: string[] = [];
  for (const tag of tags) {
    const trimmed = tag.trim();
    const key = trimmed.toLocaleLowerCase();
    if (trimmed.length === 0 || seen.has(key)) continue;
    seen.add(key);
    clean.push(trimmed);
  }
  return updateOne(db, id, 'tags = @tags', { tags: JSON.stringify(clean) }, now);
}

export type DownloadScope = { jobId: number } | { accountId: number };

/**
 * The next recordings to fetch, soonest provider deletion first (unknown deadlines last):
 * newly discovered ones and pending ones whose retry time has come.
 */
export function nextToDownload(
  db: Db,
  scope: DownloadScope,
  limit: number,
  now: Date = new Date(),
): Recording[] {
  const eligible = `(r.state = 'discovered'
    OR (r.state = 'pending' AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= @now)))`;
  const sql =
    'jobId' in scope
      ? `SELECT ${recordingColumns('r')} FROM job_items ji JOIN recordings r ON r.id = ji.recording_id
         WHERE ji.job_id = @scope AND ji.state NOT IN ('done', 'failed', 'skipped') AND ${eligible}
         ORDER BY r.sort_expires_at, r.id LIMIT @limit`
      : `SELECT ${recordingColumns('r')} FROM recordings r
         WHERE r.account_id = @scope AND r.state IN ('discovered', 'pending') AND ${eligible}
         ORDER BY r.sort_expires_at, r.id LIMIT @limit`;
  const rows = cachedStatement(db, sql).all({
    scope: 'jobId' in scope ? scope.jobId : scope.accountId,
    now: now.toISOString(),
    limit: Math.max(0, Math.floor(limit)),
  }) as RecordingRow[];
  return rows.map(toRecording);
}

/**
 * After a crash or quit, rows left in `downloading` belong to no worker: make them eligible
 * again. Call once at startup, before any worker runs. Returns how many were reset.
 */
export function resetInterruptedDownloads(db: Db, now: Date = new Date()): number {
  return cachedStatement(
    db,
    `UPDATE recordings SET state = 'discovered', updated_at = ? WHERE state = 'downloading'`,
  ).run(now.toISOString()).changes;
}

/**
 * A worker let go of a recording without settling it (pause, cancel, a stopped job): it goes
 * back to the queue. Settled rows (archived, pending, failed, gone) are left alone.
 */
export function releaseDownload(db: Db, id: number, now: Date = new Date()): void {
  cachedStatement(
    db,
    `UPDATE recordings SET state = 'discovered', updated_at = ? WHERE id = ? AND state = 'downloading'`,
  ).run(now.toISOString(), id);
}

/** Deletes a recording unless something was archived under it. Returns whether a row went. */
export function deleteUnarchived(db: Db, accountId: number, remoteId: string): boolean {
  return (
    cachedStatement(
      db,
      `DELETE FROM recordings WHERE account_id = ? AND remote_id = ? AND state != 'archived'`,
    ).run(accountId, remoteId).changes > 0
  );
}

export interface ArchivedFileRef {
  relativePath: string;
  sha256: string;
  size: number;
}

/** Every archived file as the index knows it, in id order, one row at a time. */
export function archivedFiles(db: Db): IterableIterator<ArchivedFileRef> {
  // Not the cached statement: a statement being iterated cannot serve anyone else meanwhile.
  return db
    .prepare(
      `SELECT local_path AS relativePath, sha256, local_size AS size FROM recordings
       WHERE state = 'archived' AND local_path IS NOT NULL ORDER BY id`,
    )
    .iterate() as IterableIterator<ArchivedFileRef>;
}

/** How many recordings an account has in the index, and how many of them are archived. */
export function countAccountRecordings(
  db: Db,
  accountId: number,
): { total: number; archived: number } {
  const counts = cachedStatement(
    db,
    `SELECT count(*) AS total, sum(state = 'archived') AS archived FROM recordings WHERE account_id = ?`,
  ).get(accountId) as { total: number; archived: number | null };
  return { total: counts.total, archived: counts.archived ?? 0 };
}

function updateOne(
  db: Db,
  id: number,
  assignments: string,
  params: Record<string, unknown>,
  now: Date,
): Recording {
  const row = cachedStatement(
    db,
    `UPDATE recordings SET ${assignments}, updated_at = @updated_at WHERE id = @id
       RETURNING ${COLUMNS}`,
  ).get({ ...params, id, updated_at: now.toISOString() }) as RecordingRow | undefined;
  if (!row) throw new RowNotFoundError('recordings', id);
  return toRecording(row);
}

function assertRelativeArchivePath(localPath: string): void {
  const normalized = posix.normalize(localPath);
  if (
    localPath.length === 0 ||
    localPath.includes('\\') ||
    localPath.includes('\0') ||
    posix.isAbsolute(localPath) ||
    /^[A-Za-z]:/.test(localPath) ||
    normalized !== localPath ||
    normalized.split('/').includes('..')
  ) {
    throw new IndexInputError(`Not a relative archive path: ${JSON.stringify(localPath)}`);
  }
}

function toIso(value: Date | string): string {
  const iso = typeof value === 'string' ? toIsoOrNull(value) : value.toISOString();
  if (iso === null) throw new IndexInputError(`Not a timestamp: ${JSON.stringify(value)}`);
  return iso;
}

function uniqueStrings(values: readonly string[]): string[] {
  return [...new Set(values.map((value) => value.trim()).filter((value) => value.length > 0))];
}
