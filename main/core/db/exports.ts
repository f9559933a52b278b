import { RowNotFoundError } from './errors.ts';
import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';
import type { ExportState } from '../contract/vocabulary.ts';

export type { ExportState } from '../contract/vocabulary.ts';

export interface ExportRecord {
  id: number;
  createdAt: string;
  finishedAt: string | null;
  /** Where the export was written, as the user chose it (display only). */
  destination: string;
  options: unknown;
  state: ExportState;
  summary: unknown;
  error: string | null;
  /** The recordings it was asked to take (empty for an export made before migration 013). */
  recordingIds: number[];
  /** null for an export made before migration 013. */
  destinationKind: 'folder' | 'zip' | null;
}

interface ExportRow {
  id: number;
  created_at: string;
  finished_at: string | null;
  destination: string;
  options_json: string;
  state: ExportState;
  summary_json: string;
  error: string | null;
  recording_ids_json: string;
  destination_kind: 'folder' | 'zip' | null;
}

export function createExport(
  db: Db,
  input: {
    destination: string;
    options: unknown;
    recordingIds?: readonly number[];
    destinationKind?: 'folder' | 'zip';
  },
  now: Date = new Date(),
): ExportRecord {
  const row = cachedStatement(
    db,
    `INSERT INTO exports (created_at, destination, options_json, recording_ids_json,
       destination_kind) VALUES (?, ?, ?, ?, ?) RETURNING *`,
  ).get(
    now.toISOString(),
    input.destination,
    JSON.stringify(input.options ?? {}),
    JSON.stringify(input.recordingIds ?? []),
    input.destinationKind ?? null,
  ) as ExportRow;
  return toExport(row);
}

export function finishExport(
  db: Db,
  id: number,
  outcome: { state: Exclude<ExportState, 'running'>; summary?: unknown; error?: string | null },
  now: Date = new Date(),
): ExportRecord {
  const row = cachedStatement(
    db,
    `UPDATE exports SET state = ?, summary_json = ?, error = ?, finished_at = ? WHERE id = ?
       RETURNING *`,
  ).get(
    outcome.state,
    JSON.stringify(outcome.summary ?? {}),
    outcome.error ?? null,
    now.toISOString(),
    id,
  ) as ExportRow | undefined;
  if (!row) throw new RowNotFoundError('exports', id);
  return toExport(row);
}

export function getExport(db: Db, id: number): ExportRecord | null {
  const row = cachedStatement(db, 'SELECT * FROM exports WHERE id = ?').get(id) as
    ExportRow | undefined;
  return row ? toExport(row) : null;
}

/** Newest first. */
export function listExports(db: Db, limit = 100): ExportRecord[] {
  const rows = cachedStatement(
    db,
    'SELECT * FROM exports ORDER BY created_at DESC, id DESC LIMIT ?',
  ).all(limit) as ExportRow[];
  return rows.map(toExport);
}

function toExport(row: ExportRow): ExportRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    destination: row.destination,
    options: JSON.parse(row.options_json) as unknown,
    state: row.state,
    summary: JSON.parse(row.summary_json) as unknown,
    error: row.error,
    recordingIds: JSON.parse(row.recording_ids_json) as number[],
    destinationKind: row.destination_kind,
  };
}
