// Which finished exports included a recording: read from each export's stored summary (its
// `outputs`, one per file written), so every export ever made answers, with no new table.
import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';
import type { ExportState } from '../contract/vocabulary.ts';

export interface RecordingExportRow {
  exportId: number;
  createdAt: string;
  finishedAt: string | null;
  state: ExportState;
  /** Where the export was written, as the user chose it. */
  destination: string;
  /** `folder` or `zip`; null for a summary too old to say. */
  kind: string | null;
  /** The options' format (`original`, `mp3`, …). */
  format: string | null;
  /** The names of the files written for this recording (two for split channels). */
  fileNames: string[];
}

interface Row {
  id: number;
  created_at: string;
  finished_at: string | null;
  state: ExportState;
  destination: string;
  kind: string | null;
  format: string | null;
  output_name: string | null;
}

/** Newest first; the summary stores a recording id as text ("42"), older ones maybe as 42. */
export function exportsOfRecording(db: Db, recordingId: number, limit = 200): RecordingExportRow[] {
  const rows = cachedStatement(
    db,
    `SELECT e.id, e.created_at, e.finished_at, e.state, e.destination,
            json_extract(e.summary_json, '$.destination.kind') AS kind,
            json_extract(e.options_json, '$.format') AS format,
            json_extract(o.value, '$.outputName') AS output_name
       FROM exports e, json_each(e.summary_json, '$.outputs') o
      WHERE json_type(e.summary_json, '$.outputs') = 'array'
        AND CAST(json_extract(o.value, '$.recordingId') AS INTEGER) = ?
      ORDER BY e.created_at DESC, e.id DESC`,
  ).all(recordingId) as Row[];
  const byExport = new Map<number, RecordingExportRow>();
  for (const row of rows) {
    let entry = byExport.get(row.id);
    if (!entry) {
      if (byExport.size >= limit) break;
      entry = {
        exportId: row.id,
        createdAt: row.created_at,
        finishedAt: row.finished_at,
        state: row.state,
        destination: row.destination,
        kind: row.kind,
        format: row.format,
        fileNames: [],
      };
      byExport.set(row.id, entry);
    }
    if (row.output_name !== null) entry.fileNames.push(row.output_name);
  }
  return [...byExport.values()];
}
