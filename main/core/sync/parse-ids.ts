import { PLAUSIBLE_ID } from '../contract/plausible-id.ts';
import type { IdParseResult, ParsedIdRow } from '../contract/types.ts';

/** Column headers recognised in a CSV export, by what they hold. */
const ID_HEADERS =
  /^(session[_ ]?id|call[_ ]?id|recording[_ ]?id|conversation[_ ]?id|id|sessionid|callid)$/i;
const USER_HEADERS = /^(user[_ ]?id|userid|user)$/i;

export interface ParseIdsOptions {
  /** Kore.ai sessions need a user id per row (a second column, or a `user_id` column). */
  wantUserId?: boolean;
  /** The user id of rows that carry none (Kore.ai's one user for a list of sessions). */
  defaultUserId?: string | null;
}

/**
 * Ids typed, pasted, or read from a CSV/TXT file: one per line, or a CSV with a column named
 * like `session_id` / `call_id` (and `user_id`). Every bad row gets a line-numbered reason;
 * duplicates are dropped silently after the first.
 */
export function parseIds(text: string, options: ParseIdsOptions = {}): IdParseResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const rows: ParsedIdRow[] = [];
  const errors: IdParseResult['errors'] = [];
  const seen = new Set<string>();
  const delimiter = detectDelimiter(lines);
  let idColumn = 0;
  let userColumn: number | null = options.wantUserId ? 1 : null;
  let firstDataLine = 0;

  const header = firstNonEmpty(lines);
  if (header !== null && delimiter) {
    const cells = splitCsvLine(lines[header]!, delimiter).map((c) => c.trim());
    const idAt = cells.findIndex((c) => ID_HEADERS.test(c));
    if (idAt >= 0) {
      idColumn = idAt;
      const userAt = cells.findIndex((c) => USER_HEADERS.test(c));
      userColumn = userAt >= 0 ? userAt : options.wantUserId ? null : null;
      firstDataLine = header + 1;
    } else if (cells.some((c) => /[a-z]/i.test(c) && !PLAUSIBLE_ID.test(c))) {
      errors.push({
        line: header + 1,
        message: 'No column named like session_id, call_id or recording_id in the header.',
      });
      return { rows, errors };
    }
  }

  for (let index = firstDataLine; index < lines.length; index++) {
    const raw = lines[index]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const cells = delimiter ? splitCsvLine(raw, delimiter).map((c) => c.trim()) : [raw];
    const id = cells[idColumn] ?? '';
    const line = index + 1;
    if (id === '') {
      errors.push({ line, message: 'The id is empty.' });
      continue;
    }
    if (!PLAUSIBLE_ID.test(id)) {
      errors.push({
        line,
        message: `"${truncate(id)}" is not an id (letters, digits, _ . : @ + - only).`,
      });
      continue;
    }
    const ownUserId = userColumn === null ? null : (cells[userColumn] ?? '') || null;
    const userId = ownUserId ?? (options.wantUserId ? options.defaultUserId?.trim() || null : null);
    if (options.wantUserId && !userId) {
      errors.push({ line, message: `No user id for session ${id} (Kore.ai needs one).` });
      continue;
    }
    const key = `${id}\u0000${userId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ line, id, userId });
  }
  return { rows, errors };
}

function firstNonEmpty(lines: string[]): number | null {
  const index = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  return index < 0 ? null : index;
}

/** A comma, semicolon or tab when the first content line has one; none for a plain id list. */
function detectDelimiter(lines: string[]): string | null {
  const first = lines.find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  for (const candidate of ['\t', ';', ',']) if (first.includes(candidate)) return candidate;
  return null;
}

/** One CSV line with quoted cells ("a,b" and "" escapes). */
function splitCsvLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
