import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';

// Legal holds (migration 011). A matter holds recordings until it is released; a released
// matter keeps its row and items as the record of what was held, and protects nothing.

export interface HoldRow {
  id: number;
  name: string;
  reference: string;
  description: string;
  createdBy: string;
  createdAt: string;
  releasedAt: string | null;
  releasedBy: string | null;
  releaseReason: string | null;
  recordings: number;
}

const HOLD_COLUMNS = `h.id, h.name, h.reference, h.description, h.created_by AS createdBy,
  h.created_at AS createdAt, h.released_at AS releasedAt, h.released_by AS releasedBy,
  h.release_reason AS releaseReason,
  (SELECT count(*) FROM hold_items hi WHERE hi.hold_id = h.id) AS recordings`;

export function insertHold(
  db: Db,
  hold: { name: string; reference: string; description: string; createdBy: string },
  now: Date = new Date(),
): HoldRow {
  const { lastInsertRowid } = cachedStatement(
    db,
    `INSERT INTO holds (name, reference, description, created_by, created_at)
     VALUES (@name, @reference, @description, @createdBy, @at)`,
  ).run({ ...hold, at: now.toISOString() });
  return getHold(db, Number(lastInsertRowid))!;
}

export function getHold(db: Db, id: number): HoldRow | null {
  return (
    (cachedStatement(db, `SELECT ${HOLD_COLUMNS} FROM holds h WHERE h.id = ?`).get(id) as
      HoldRow | undefined) ?? null
  );
}

/** The unreleased matter of this name (case-insensitive). */
export function findLiveHold(db: Db, name: string): HoldRow | null {
  return (
    (cachedStatement(
      db,
      `SELECT ${HOLD_COLUMNS} FROM holds h
       WHERE h.name = ? COLLATE NOCASE AND h.released_at IS NULL`,
    ).get(name.trim()) as HoldRow | undefined) ?? null
  );
}

/** Every matter, live ones first, then released ones, newest first within each. */
export function listHolds(db: Db): HoldRow[] {
  return cachedStatement(
    db,
    `SELECT ${HOLD_COLUMNS} FROM holds h
     ORDER BY h.released_at IS NOT NULL, h.created_at DESC, h.id DESC`,
  ).all() as HoldRow[];
}

/** Adds recordings to a matter; returns the ids that were not on it already. */
export function addHoldItems(
  db: Db,
  holdId: number,
  recordingIds: readonly number[],
  addedBy: string,
  now: Date = new Date(),
): number[] {
  const insert = cachedStatement(
    db,
    `INSERT INTO hold_items (hold_id, recording_id, added_by, added_at) VALUES (?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const at = now.toISOString();
  return recordingIds.filter((id) => insert.run(holdId, id, addedBy, at).changes > 0);
}

export function releaseHold(
  db: Db,
  holdId: number,
  releasedBy: string,
  reason: string,
  now: Date = new Date(),
): void {
  cachedStatement(
    db,
    `UPDATE holds SET released_at = ?, released_by = ?, release_reason = ?
     WHERE id = ? AND released_at IS NULL`,
  ).run(now.toISOString(), releasedBy, reason, holdId);
}

/** Names of the live matters holding each recording asked about (absent: none). */
export function liveHoldNames(db: Db, recordingIds: readonly number[]): Map<number, string[]> {
  const held = new Map<number, string[]>();
  if (recordingIds.length === 0) return held;
  const rows = cachedStatement(
    db,
    `SELECT hi.recording_id AS id, h.name FROM hold_items hi JOIN holds h ON h.id = hi.hold_id
     WHERE h.released_at IS NULL AND hi.recording_id IN (SELECT value FROM json_each(?))
     ORDER BY h.name`,
  ).all(JSON.stringify(recordingIds)) as { id: number; name: string }[];
  for (const row of rows) held.set(row.id, [...(held.get(row.id) ?? []), row.name]);
  return held;
}

/** Whether any live matter holds the recording. */
export function isHeld(db: Db, recordingId: number): boolean {
  return (
    cachedStatement(
      db,
      `SELECT 1 FROM hold_items hi JOIN holds h ON h.id = hi.hold_id
       WHERE hi.recording_id = ? AND h.released_at IS NULL LIMIT 1`,
    ).get(recordingId) !== undefined
  );
}

/** Which of these ids name recordings in the index. */
export function existingRecordingIds(db: Db, ids: readonly number[]): Set<number> {
  const rows = cachedStatement(
    db,
    'SELECT id FROM recordings WHERE id IN (SELECT value FROM json_each(?))',
  )
    .pluck()
    .all(JSON.stringify(ids)) as number[];
  return new Set(rows);
}
