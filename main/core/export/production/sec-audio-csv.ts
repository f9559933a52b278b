// The regulator's metadata sheet for a sec-audio production: one row per audio file, with who
// called whom, when (date, time and zone), for how long, and the file's id (its control number).
import type { ProductionRow } from './production-row.ts';

export const SEC_AUDIO_CSV = 'metadata.csv';

const COLUMNS: readonly [string, (r: ProductionRow) => string | number | null][] = [
  ['file_id', (r) => r.control],
  ['file_name', (r) => r.fileName],
  ['caller', (r) => r.caller || r.participants[0] || ''],
  ['caller_number', (r) => r.caller],
  ['callee', (r) => r.callee || r.participants[1] || ''],
  ['callee_number', (r) => r.callee],
  ['date', (r) => r.date],
  ['time', (r) => r.time],
  ['time_zone', (r) => r.timeZone],
  ['duration_sec', (r) => r.durationSec],
  ['direction', (r) => r.direction],
  ['provider', (r) => r.provider],
  ['account', (r) => r.account],
  ['recording_id', (r) => r.recordingId],
  ['channel', (r) => r.channel],
  ['sha256', (r) => r.sha256],
];

/** RFC 4180, CRLF, UTF-8 with a BOM (Excel on Windows reads the BOM as "this is UTF-8"). */
export function secAudioCsv(rows: readonly ProductionRow[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const row of rows) lines.push(COLUMNS.map(([, get]) => csvCell(get(row))).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  // A leading +, =, - or @ is a formula in a spreadsheet; a plain phone number (+1 555 …) is
  // left as it is, since at worst a spreadsheet reads it as a number.
  const phone = /^\+[0-9 ()-]+$/.test(text);
  if (typeof value === 'string' && !phone && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
