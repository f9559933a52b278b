// Read-only looks at what the engine (in this process or the built CLI) left in a data
// directory: index rows, archived files and their sidecars.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FakeStorage } from '../fakes/storage.ts';
import { sha256 } from './bytes.ts';

export interface RecordingRow {
  id: number;
  account_id: number;
  provider: string;
  remote_id: string;
  session_id: string | null;
  call_id: string | null;
  user_id: string | null;
  channel: string;
  format: string | null;
  content_type: string | null;
  size: number | null;
  duration_sec: number | null;
  recorded_at: string | null;
  expires_at: string | null;
  phone_numbers: string;
  provider_file_name: string | null;
  local_path: string | null;
  local_size: number | null;
  sha256: string | null;
  archived_at: string | null;
  state: string;
  last_error: string | null;
  raw_json: string;
}

/** Reads from the CLI's index (read-only, closed again at once). */
export function queryIndex<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(dataDir, 'index.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export function recordings(dataDir: string): RecordingRow[] {
  return queryIndex<RecordingRow>(dataDir, 'SELECT * FROM recordings ORDER BY remote_id');
}

export function archiveDir(dataDir: string): string {
  return path.join(dataDir, 'archive');
}

/** Every file under `dir`, relative, `/`-separated. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** Archived media files (not sidecars, not partials). */
export function mediaFiles(dataDir: string): string[] {
  return filesUnder(archiveDir(dataDir)).filter(
    (f) => !f.endsWith('.json') && !f.endsWith('.part'),
  );
}

export function partials(dataDir: string): string[] {
  return filesUnder(archiveDir(dataDir)).filter(
    (f) => f.endsWith('.part') || f.endsWith('.part.json'),
  );
}

/**
 * Proves every archived row's file is on disk with the indexed size and SHA-256, its sidecar
 * names the same bytes, and the SHA-256 is `expected(row)` (the fake's own file).
 */
export function expectArchivedRowsMatch(
  dataDir: string,
  rows: RecordingRow[],
  expected: (row: RecordingRow) => string | undefined,
): void {
  for (const row of rows) {
    if (row.state !== 'archived') throw new Error(`${row.remote_id} is ${row.state}`);
    const file = path.join(archiveDir(dataDir), row.local_path!);
    const data = fs.readFileSync(file);
    const actual = sha256(data);
    const want = expected(row);
    if (!want) throw new Error(`no fake file for ${row.remote_id}`);
    if (actual !== want || row.sha256 !== want || row.local_size !== data.length) {
      throw new Error(
        `${row.remote_id}: file ${actual} (${data.length} B), index ${row.sha256} (${row.local_size} B), fake ${want}`,
      );
    }
    const sidecar = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as {
      file: { sha256: string; size: number; relativePath: string };
      recording: { remoteId: string };
    };
    if (
      sidecar.file.sha256 !== want ||
      sidecar.file.size !== data.length ||
      sidecar.file.relativePath !== row.local_path ||
      sidecar.recording.remoteId !== row.remote_id
    ) {
      throw new Error(`${row.remote_id}: sidecar disagrees: ${JSON.stringify(sidecar.file)}`);
    }
  }
}

/** Storage GETs that carried bytes (the number a re-sync must not raise). */
export function storageDownloads(storage: FakeStorage): number {
  return storage.requests.filter((r) => r.method === 'GET').length;
}
