// One produced file, with everything a load file says about it: the export manifest's facts,
// the index's tags and notes, the live legal holds, and the file's MD5 (review platforms
// de-duplicate on MD5; SHA-256 is what Recvault's custody checks).
import type { ExportedFile } from '../../convert/manifest.ts';
import type { Recording } from '../../db/recording-row.ts';
import { zonedTime } from './zoned-time.ts';

export interface ProductionRow {
  control: string;
  /** Relative to the production root (the folder the load files are in), forward slashes. */
  nativePath: string;
  fileName: string;
  md5: string;
  sha256: string;
  bytes: number;
  provider: string;
  account: string;
  sessionId: string;
  callId: string;
  /** The provider's id (rec_…, call_…). */
  recordingId: string;
  /** Recvault's index id. */
  indexId: string;
  channel: string;
  /** ISO 8601 with the production's zone offset; '' when the provider gave no time. */
  recordedStart: string;
  recordedEnd: string;
  date: string;
  time: string;
  timeZone: string;
  durationSec: number | null;
  caller: string;
  callee: string;
  direction: string;
  participants: string[];
  phoneNumbers: string[];
  tags: string[];
  notes: string;
  legalHolds: string[];
}

export interface RowInput {
  file: ExportedFile;
  control: string;
  md5: string;
  recording: Recording | undefined;
  holds: readonly string[];
  timeZone: string;
}

export function productionRow(input: RowInput): ProductionRow {
  const { file, recording } = input;
  const duration = file.outputDurationSec ?? file.sourceDurationSec ?? null;
  const start = file.recordedAt ? new Date(file.recordedAt) : null;
  const valid = start !== null && !Number.isNaN(start.getTime());
  const zonedStart = valid ? zonedTime(start, input.timeZone) : null;
  const zonedEnd =
    valid && duration !== null
      ? zonedTime(new Date(start.getTime() + Math.round(duration * 1000)), input.timeZone)
      : null;
  const call = callOf(recording);
  const phoneNumbers = recording?.phoneNumbers ?? [];
  const participants = [
    ...(recording?.userId ? [recording.userId] : []),
    ...[call.from, call.to].filter((n) => n !== ''),
  ].filter((v, i, a) => a.indexOf(v) === i);
  return {
    control: input.control,
    nativePath: file.outputName,
    fileName: file.outputName,
    md5: input.md5,
    sha256: file.outputSha256,
    bytes: file.outputBytes,
    provider: file.provider,
    account: file.accountName,
    sessionId: file.sessionId ?? '',
    callId: file.callId ?? '',
    recordingId: file.remoteId,
    indexId: file.recordingId,
    channel: file.channel,
    recordedStart: zonedStart?.iso ?? '',
    recordedEnd: zonedEnd?.iso ?? '',
    date: zonedStart?.date ?? '',
    time: zonedStart ? `${zonedStart.time}${zonedStart.offset}` : '',
    timeZone: input.timeZone,
    durationSec: duration === null ? null : Math.round(duration * 1000) / 1000,
    caller: call.from,
    callee: call.to,
    direction: call.direction,
    participants,
    phoneNumbers,
    tags: recording?.tags ?? [],
    notes: recording?.notes ?? '',
    legalHolds: [...input.holds],
  };
}

/** Envoy keeps the call's from/to numbers and direction in the raw reply (the sidecar's copy). */
function callOf(recording: Recording | undefined): { from: string; to: string; direction: string } {
  const raw = (recording?.raw ?? {}) as { call?: Record<string, unknown> };
  const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
  return {
    from: text(raw.call?.from_number),
    to: text(raw.call?.to_number),
    direction: text(raw.call?.call_direction),
  };
}
