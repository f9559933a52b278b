// The Concordance/Relativity DAT load file: a header row and one row per produced file, every
// field qualified with þ (U+00FE) and separated by DC4 (0x14), rows ended by CRLF. Inside a
// field a line break is written as ® (U+00AE), Concordance's newline substitute, and the values
// of a multi-value field (tags, holds, numbers) are separated by ® too, as this production's
// recipients configure their import. A þ in a value is doubled, as a quote is in CSV.
import type { DatEncoding } from '../../contract/vocabulary.ts';
import type { ProductionRow } from './production-row.ts';

export const DAT_FILE = 'loadfile.dat';
export const DAT_FIELD = '\u0014';
export const DAT_QUOTE = '\u00fe';
export const DAT_NEWLINE = '\u00ae';
export const DAT_MULTI = '\u00ae';

/** Field names as Relativity's field mapping shows them, and where each value comes from. */
export const DAT_FIELDS: readonly [
  string,
  (r: ProductionRow) => string | number | null | string[],
][] = [
  ['Control Number', (r) => r.control],
  ['Native Path', (r) => r.nativePath],
  ['File Name', (r) => r.fileName],
  ['MD5 Hash', (r) => r.md5],
  ['SHA256 Hash', (r) => r.sha256],
  ['File Size', (r) => r.bytes],
  ['Provider', (r) => r.provider],
  ['Account', (r) => r.account],
  ['Session ID', (r) => r.sessionId],
  ['Call ID', (r) => r.callId],
  ['Recording ID', (r) => r.recordingId],
  ['Recvault ID', (r) => r.indexId],
  ['Channel', (r) => r.channel],
  ['Recorded Start', (r) => r.recordedStart],
  ['Recorded End', (r) => r.recordedEnd],
  ['Time Zone', (r) => r.timeZone],
  ['Duration Seconds', (r) => r.durationSec],
  ['Caller', (r) => r.caller],
  ['Callee', (r) => r.callee],
  ['Direction', (r) => r.direction],
  ['Participants', (r) => r.participants],
  ['Phone Numbers', (r) => r.phoneNumbers],
  ['Tags', (r) => r.tags],
  ['Notes', (r) => r.notes],
  ['Legal Holds', (r) => r.legalHolds],
];

export function datText(rows: readonly ProductionRow[]): string {
  const lines = [DAT_FIELDS.map(([name]) => qualify(name)).join(DAT_FIELD)];
  for (const row of rows) {
    lines.push(DAT_FIELDS.map(([, get]) => qualify(cell(get(row)))).join(DAT_FIELD));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The file's bytes: a BOM, then UTF-8 or UTF-16LE. */
export function datBytes(rows: readonly ProductionRow[], encoding: DatEncoding): Buffer {
  const text = `\ufeff${datText(rows)}`;
  return Buffer.from(text, encoding === 'utf-16le' ? 'utf16le' : 'utf8');
}

function cell(value: string | number | null | string[]): string {
  if (value === null) return '';
  // A multi-value item never holds the separator or a line break: those would split it.
  if (Array.isArray(value))
    return value.map((v) => flat(v).replaceAll(DAT_MULTI, ' ')).join(DAT_MULTI);
  return flat(String(value));
}

/** Line breaks to ®, and the field separator (a control character) to a space. */
function flat(text: string): string {
  return text.replace(/\r\n|\r|\n/g, DAT_NEWLINE).replaceAll(DAT_FIELD, ' ');
}

function qualify(text: string): string {
  return `${DAT_QUOTE}${text.replaceAll(DAT_QUOTE, DAT_QUOTE + DAT_QUOTE)}${DAT_QUOTE}`;
}
