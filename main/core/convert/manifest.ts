// The three files that describe an export for an auditor: manifest.csv and manifest.json (one
// row per output file) and SHA256SUMS (verifiable with `sha256sum -c SHA256SUMS`).
import type { ConversionSettings } from './plan.ts';
import type { ExportOptions } from '../contract/export-options.ts';

export const MANIFEST_CSV = 'manifest.csv';
export const MANIFEST_JSON = 'manifest.json';
export const CHECKSUMS_FILE = 'SHA256SUMS';
export const MANIFEST_FILE_NAMES: readonly string[] = [MANIFEST_CSV, MANIFEST_JSON, CHECKSUMS_FILE];

export interface ExportedFile {
  outputName: string;
  outputSha256: string;
  outputBytes: number;
  outputDurationSec: number | null;
  recordingId: string;
  provider: string;
  accountName: string;
  sessionId: string | null;
  callId: string | null;
  remoteId: string;
  /** The channel this file holds (agent/customer for a split output). */
  channel: string;
  recordedAt: string | null;
  sourceSha256: string;
  sourceBytes: number;
  sourceDurationSec: number | null;
  settings: ConversionSettings;
}

export interface ExportFailure {
  recordingId: string;
  /** The name the output would have had, if planning got that far. */
  outputName: string | null;
  channel: string | null;
  /** Why: ffmpeg's/ffprobe's own last error lines, or the check that failed. */
  reason: string;
}

export interface ManifestHeader {
  exportId: string;
  createdAt: string;
  ffmpegVersion: string | null;
  options: ExportOptions;
}

export function manifestJson(
  header: ManifestHeader,
  files: readonly ExportedFile[],
  failures: readonly ExportFailure[],
): string {
  return `${JSON.stringify({ schema: 'recvault-export-manifest/1', ...header, files, failures }, null, 2)}\n`;
}

const CSV_COLUMNS: readonly [string, (f: ExportedFile) => string | number | null][] = [
  ['output_file', (f) => f.outputName],
  ['output_sha256', (f) => f.outputSha256],
  ['output_bytes', (f) => f.outputBytes],
  ['output_duration_sec', (f) => roundSec(f.outputDurationSec)],
  ['source_recording_id', (f) => f.recordingId],
  ['source_sha256', (f) => f.sourceSha256],
  ['source_bytes', (f) => f.sourceBytes],
  ['source_duration_sec', (f) => roundSec(f.sourceDurationSec)],
  ['provider', (f) => f.provider],
  ['account', (f) => f.accountName],
  ['session_id', (f) => f.sessionId],
  ['call_id', (f) => f.callId],
  ['remote_id', (f) => f.remoteId],
  ['channel', (f) => f.channel],
  ['recorded_at', (f) => f.recordedAt],
  ['settings', (f) => settingsSummary(f.settings)],
];

/** RFC 4180 CSV with a header row, CRLF line ends. */
export function manifestCsv(files: readonly ExportedFile[]): string {
  const lines = [CSV_COLUMNS.map(([name]) => name).join(',')];
  for (const file of files) lines.push(CSV_COLUMNS.map(([, get]) => csvCell(get(file))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** `<hash>  <name>` lines, the format `sha256sum -c` reads (names are flat and safe). */
export function sha256Sums(entries: readonly { name: string; sha256: string }[]): string {
  return entries.map((e) => `${e.sha256}  ${e.name}\n`).join('');
}

/** "format=mp3 codec=libmp3lame bitrate=128k sample_rate=keep channels=split:agent …" */
export function settingsSummary(s: ConversionSettings): string {
  return [
    `format=${s.format}`,
    `codec=${s.audioCodec}`,
    s.bitrateKbps === null ? null : `bitrate=${s.bitrateKbps}k`,
    s.vbrQuality === null ? null : `quality=${s.vbrQuality}`,
    `sample_rate=${s.sampleRate}`,
    `channels=${s.channels}${s.splitSide ? `:${s.splitSide}` : ''}`,
    `video=${s.videoKept ? 'kept' : 'none'}`,
    `loudnorm=${s.loudnorm ? 'ebu-r128' : 'off'}`,
  ]
    .filter((part) => part !== null)
    .join(' ');
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  // Spreadsheet formula injection: ids come from providers, and auditors open this in Excel.
  // A leading quote makes the cell plain text; manifest.json keeps the exact values.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function roundSec(sec: number | null): number | null {
  return sec === null ? null : Math.round(sec * 1000) / 1000;
}
