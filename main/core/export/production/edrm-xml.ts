// EDRM XML 1.2 (the EDRM XML Interchange Format, XSD 1.2 of 31-Oct-2010): Root › Batch ›
// Documents › Document (DocID = the control number) with Files › File › ExternalFile (the native
// file's path, name, size and hash) and Tags › Tag (the same metadata as the DAT's fields).
import type { ProductionRow } from './production-row.ts';

export const EDRM_FILE = 'loadfile.xml';

type TagType = 'Text' | 'LongText' | 'DateTime' | 'Integer' | 'Decimal';

const TAGS: readonly [string, TagType, (r: ProductionRow) => string | number | null | string[]][] =
  [
    ['#FileName', 'Text', (r) => r.fileName],
    ['#FileSize', 'Integer', (r) => r.bytes],
    ['#MD5Hash', 'Text', (r) => r.md5],
    ['#SHA256Hash', 'Text', (r) => r.sha256],
    ['Provider', 'Text', (r) => r.provider],
    ['Account', 'Text', (r) => r.account],
    ['SessionID', 'Text', (r) => r.sessionId],
    ['CallID', 'Text', (r) => r.callId],
    ['RecordingID', 'Text', (r) => r.recordingId],
    ['RecvaultID', 'Text', (r) => r.indexId],
    ['Channel', 'Text', (r) => r.channel],
    ['RecordedStart', 'DateTime', (r) => r.recordedStart],
    ['RecordedEnd', 'DateTime', (r) => r.recordedEnd],
    ['TimeZone', 'Text', (r) => r.timeZone],
    ['DurationSeconds', 'Decimal', (r) => r.durationSec],
    ['Caller', 'Text', (r) => r.caller],
    ['Callee', 'Text', (r) => r.callee],
    ['Direction', 'Text', (r) => r.direction],
    ['Participants', 'Text', (r) => r.participants],
    ['PhoneNumbers', 'Text', (r) => r.phoneNumbers],
    ['Tags', 'Text', (r) => r.tags],
    ['Notes', 'LongText', (r) => r.notes],
    ['LegalHolds', 'Text', (r) => r.legalHolds],
  ];

export function edrmXml(rows: readonly ProductionRow[], batchName: string): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Root MajorVersion="1" MinorVersion="2" Description="Recvault production" Locale="en-US" DataInterchangeType="Update">',
    `  <Batch name="${attr(batchName)}">`,
    '    <Documents>',
  ];
  for (const row of rows) {
    out.push(
      `      <Document DocID="${attr(row.control)}" DocType="File" MimeType="${attr(mimeOf(row.fileName))}">`,
      '        <Files>',
      '          <File FileType="Native">',
      `            <ExternalFile FilePath="${attr(folderOf(row.nativePath))}" FileName="${attr(row.fileName)}" FileSize="${row.bytes}" Hash="${row.md5}" HashType="MD5"/>`,
      '          </File>',
      '        </Files>',
      '        <Tags>',
    );
    for (const [name, type, get] of TAGS) {
      const value = get(row);
      const text = value === null ? '' : Array.isArray(value) ? value.join('; ') : String(value);
      out.push(
        `          <Tag TagName="${attr(name)}" TagDataType="${type}" TagValue="${attr(text)}"/>`,
      );
    }
    out.push('        </Tags>', '      </Document>');
  }
  out.push('    </Documents>', '  </Batch>', '</Root>', '');
  return out.join('\r\n');
}

function folderOf(relative: string): string {
  const slash = relative.lastIndexOf('/');
  return slash < 0 ? '.' : relative.slice(0, slash);
}

function mimeOf(name: string): string {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const types: Record<string, string> = {
    mp3: 'audio/mpeg',
    wav: 'audio/wav',
    flac: 'audio/flac',
    ogg: 'audio/ogg',
    opus: 'audio/ogg',
    m4a: 'audio/mp4',
    mp4: 'video/mp4',
  };
  return types[ext] ?? 'application/octet-stream';
}

/** XML attribute text: the five specials, line breaks kept as character references. */
function attr(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\r', '&#13;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\t', '&#9;');
}
