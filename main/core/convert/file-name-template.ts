// Renders a user's file-name template ("{provider}_{date}_{recording}") for one output. The
// result is NOT yet safe as a file name: safe-file-name.ts does that, because token values come
// from providers and cannot be trusted.
import type { TemplateToken } from '../contract/vocabulary.ts';

export interface TemplateValues {
  provider: string;
  account: string;
  sessionId: string | null;
  callId: string | null;
  /** The provider's recording id ({recording}). */
  remoteId: string;
  /** The index's recording id ({id}). */
  recordingId: string;
  /** The channel of this output (agent/customer for a split, else the source's). */
  channel: string;
  recordedAt: string | null;
  durationSec: number | null;
}

/** Missing values render as empty strings; unknown tokens are left as written. */
export function renderFileNameTemplate(
  template: string,
  values: TemplateValues,
  timeZone: string,
): string {
  const when = values.recordedAt ? zonedParts(values.recordedAt, timeZone) : null;
  const tokens: Record<TemplateToken, string> = {
    provider: values.provider,
    account: values.account,
    session: values.sessionId ?? '',
    call: values.callId ?? '',
    recording: values.remoteId,
    id: values.recordingId,
    channel: values.channel,
    date: when ? `${when.year}-${when.month}-${when.day}` : '',
    // Colons are illegal in Windows file names, so hours-minutes-seconds use dashes.
    time: when ? `${when.hour}-${when.minute}-${when.second}` : '',
    duration: values.durationSec === null ? '' : formatDuration(values.durationSec),
  };
  return template.replace(/\{([a-z]+)\}/g, (whole, name: string) =>
    Object.hasOwn(tokens, name) ? tokens[name as TemplateToken] : whole,
  );
}

/** 65.4 → "1m05s", 3725 → "1h02m05s", 9 → "9s". */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (h > 0) return `${h}h${pad(m)}m${pad(s)}s`;
  if (m > 0) return `${m}m${pad(s)}s`;
  return `${s}s`;
}

interface ZonedParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

function zonedParts(iso: string, timeZone: string): ZonedParts | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: get('year').padStart(4, '0'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}
