import fs from 'node:fs';
import path from 'node:path';
import { idKindOf } from '../contract/providers.ts';
import { parseIds } from '../sync/parse-ids.ts';

/** Files of a watched folder that hold ids: the same CSV/TXT files the sync form imports. */
const ID_FILE = /\.(csv|txt)$/i;

/**
 * The Kallglot session and recording ids in a watched folder's CSV/TXT files (each file read
 * as the sync form reads an imported one). A missing folder is an error the run reports.
 */
export async function idsInFolder(
  folder: string,
): Promise<{ sessions: string[]; recordingIds: string[]; files: number; problems: string[] }> {
  const names = (await fs.promises.readdir(folder)).filter((name) => ID_FILE.test(name)).sort();
  const sessions = new Set<string>();
  const recordingIds = new Set<string>();
  const problems: string[] = [];
  for (const name of names) {
    const text = await fs.promises.readFile(path.join(folder, name), 'utf8');
    const parsed = parseIds(text);
    for (const error of parsed.errors) problems.push(`${name}:${error.line}: ${error.message}`);
    for (const row of parsed.rows) {
      (idKindOf('kallglot', row.id) === 'recordings' ? recordingIds : sessions).add(row.id);
    }
  }
  return {
    sessions: [...sessions],
    recordingIds: [...recordingIds],
    files: names.length,
    problems,
  };
}
