// The archive's stable relative path for a recording. Every component comes from identifiers
// we control or sanitise (provider kind, account key, date, the provider's recording id) and
// never from a name taken from the network (providerFileName is display-only).
import { createHash } from 'node:crypto';
import type { ProviderKind, RemoteRecording } from '../providers/types.ts';

export const MEDIA_EXTENSIONS = [
  'mp3',
  'wav',
  'ogg',
  'm4a',
  'mp4',
  'flac',
  'opus',
  'webm',
] as const;
export type MediaExtension = (typeof MEDIA_EXTENSIONS)[number] | 'bin';

/** Longest sanitised segment (before the extension); longer ones are cut and get a hash suffix. */
export const MAX_SEGMENT_LENGTH = 96;

const FORMAT_ALIASES: Record<string, MediaExtension> = {
  mp3: 'mp3',
  mpeg: 'mp3',
  mpga: 'mp3',
  wav: 'wav',
  wave: 'wav',
  ogg: 'ogg',
  oga: 'ogg',
  m4a: 'm4a',
  mp4: 'mp4',
  flac: 'flac',
  opus: 'opus',
  webm: 'webm',
};

const CONTENT_TYPES: Record<string, MediaExtension> = {
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/x-mp3': 'mp3',
  'audio/mpeg3': 'mp3',
  'audio/wav': 'wav',
  'audio/wave': 'wav',
  'audio/x-wav': 'wav',
  'audio/vnd.wave': 'wav',
  'audio/ogg': 'ogg',
  'application/ogg': 'ogg',
  'audio/mp4': 'm4a',
  'audio/m4a': 'm4a',
  'audio/x-m4a': 'm4a',
  'video/mp4': 'mp4',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
  'audio/opus': 'opus',
  'audio/webm': 'webm',
  'video/webm': 'webm',
};

/** Extension from the whitelist: the provider's format first, then the content type, else bin. */
export function extensionFor(format: string | null, contentType: string | null): MediaExtension {
  const fromFormat = format === null ? undefined : FORMAT_ALIASES[format.trim().toLowerCase()];
  if (fromFormat !== undefined) return fromFormat;
  if (contentType !== null) {
    const essence = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    const fromType = CONTENT_TYPES[essence];
    if (fromType !== undefined) return fromType;
  }
  return 'bin';
}

// Device names Windows refuses as a file's base name, with or without an extension.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

function escapeByte(byte: number): string {
  return '_' + byte.toString(16).padStart(2, '0');
}

function escapeChar(ch: string): string {
  let out = '';
  for (const byte of Buffer.from(ch, 'utf8')) out += escapeByte(byte);
  return out;
}

function shortHash(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16);
}

/**
 * A filesystem-safe, collision-free path segment for an arbitrary string.
 *
 * Letters, digits, `.` and `-` pass through; every other byte of the UTF-8 encoding (including
 * `_` itself, the escape character) becomes `_xx` (lowercase hex). A leading or trailing `.` and
 * the first letter of a Windows device name (CON, NUL, …) are escaped too. Decoding `_xx` gives
 * the input back, so distinct inputs never share an encoding.
 *
 * Two more cases add a `_h` + 16 hex digits suffix (SHA-256 of the exact input; `_h` can never
 * occur otherwise, because `_` is always followed by two hex digits): inputs whose encoding is
 * longer than MAX_SEGMENT_LENGTH (cut, so the hash keeps them apart), and inputs containing
 * upper-case letters (so `recAB` and `recab` stay apart on case-insensitive macOS/Windows
 * volumes).
 */
export function safeSegment(value: string): string {
  if (value === '') return '_';
  const chars = Array.from(value);
  let out = '';
  chars.forEach((ch, i) => {
    const plain = /^[A-Za-z0-9.-]$/.test(ch);
    const edgeDot = ch === '.' && (i === 0 || i === chars.length - 1);
    out += plain && !edgeDot ? ch : escapeChar(ch);
  });
  const base = value.split('.')[0] ?? '';
  if (WINDOWS_RESERVED.test(base)) out = escapeChar(chars[0] ?? '') + out.slice(1);
  const needsHash = out.length > MAX_SEGMENT_LENGTH || /[A-Z]/.test(value);
  if (!needsHash) return out;
  let cut = out.slice(0, MAX_SEGMENT_LENGTH);
  // Never cut an escape sequence in half.
  const partial = cut.lastIndexOf('_');
  if (partial !== -1 && partial > cut.length - 3) cut = cut.slice(0, partial);
  return `${cut}_h${shortHash(value)}`;
}

// Escaped in a readable name, each UTF-8 byte as %XX: what Windows refuses in a name
// (< > : " / \\ | ? * and control characters), the escape itself (%) and the hash mark (~);
// and any non-ASCII character, because macOS's HFS+ rewrites those to another Unicode form
// (the name read back would differ from the index's) and byte-length limits count bytes.
const READABLE_PLAIN = /^[\x20-\x7e]$/;
const READABLE_ESCAPED = new Set(['<', '>', ':', '"', '/', '\\', '|', '?', '*', '%', '~']);

/** Longest readable stem (ASCII after escaping, so bytes = characters); beyond it, cut + hash. */
export const MAX_STEM_LENGTH = 96;

function percentEscape(ch: string): string {
  let out = '';
  for (const byte of Buffer.from(ch, 'utf8')) {
    out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * A recording id as a file name stem: the id itself, escaped only where a file system needs it.
 *
 * Escaped as %XX (upper-case hex of each UTF-8 byte): the characters above; a leading `.`
 * (hidden on Unix, and `.`/`..`); a leading or trailing space (trimmed by Windows tools); the
 * first letter of a Windows device name (CON, NUL, COM1, …) before the first dot. Decoding %XX
 * gives the id back, so distinct ids never share a name.
 *
 * Two cases add `~` and 12 hex digits of the id's SHA-256 (`~` never occurs otherwise, being
 * escaped): an id with an upper-case letter, so `recAB` and `recab` stay two files on the
 * case-insensitive volumes of macOS and Windows; and a stem longer than MAX_STEM_LENGTH, cut
 * (never inside an escape) so the whole path stays well under Windows' 260 characters.
 */
export function readableStem(id: string): string {
  if (id === '') return '%00';
  const chars = Array.from(id);
  let out = '';
  chars.forEach((ch, i) => {
    const edge = (i === 0 && (ch === '.' || ch === ' ')) || (i === chars.length - 1 && ch === ' ');
    out += READABLE_PLAIN.test(ch) && !READABLE_ESCAPED.has(ch) && !edge ? ch : percentEscape(ch);
  });
  const base = (id.split('.')[0] ?? '').trimEnd();
  if (WINDOWS_RESERVED.test(base)) out = percentEscape(chars[0] ?? '') + out.slice(1);
  const needsHash = out.length > MAX_STEM_LENGTH || /[A-Z]/.test(id);
  if (!needsHash) return out;
  let cut = out.slice(0, MAX_STEM_LENGTH);
  const partial = cut.lastIndexOf('%');
  if (partial !== -1 && partial > cut.length - 3) cut = cut.slice(0, partial);
  return `${cut}~${shortHash(id).slice(0, 12)}`;
}

export interface LayoutInput {
  provider: ProviderKind;
  /**
   * A stable, unique key for the account: pass the account's index id (not its display name,
   * which can be renamed and can collide between two accounts).
   */
  accountKey: string;
  remoteId: string;
  /** recordedAt, else createdAt; ISO 8601. Missing or unparsable → `undated/`. */
  recordedAt: string | null;
  format: string | null;
  contentType: string | null;
}

function datePart(iso: string | null): string {
  if (iso === null) return 'undated';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'undated';
  const d = new Date(t);
  const year = d.getUTCFullYear();
  if (year < 1970 || year > 9999) return 'undated';
  const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(d.getUTCDate()).padStart(2, '0');
  return `${year}/${mm}/${dd}`;
}

/**
 * `<provider>/<account>/<YYYY>/<MM>/<DD>/<remote-id>.<ext>` (UTC date of the recording), or
 * `<provider>/<account>/undated/<remote-id>.<ext>`, always with `/` separators. The file name
 * is the recording id as the provider gives it (readableStem), so an officer finds a recording
 * by its id in a file manager.
 */
export function archiveRelativePath(input: LayoutInput): string {
  const ext = extensionFor(input.format, input.contentType);
  return [
    input.provider,
    safeSegment(input.accountKey),
    datePart(input.recordedAt),
    `${readableStem(input.remoteId)}.${ext}`,
  ].join('/');
}

/**
 * The file name archives made before readable names used (every `_` escaped to `_5f`, a hash for
 * any upper-case letter): kept so the rename migration can find what those versions left.
 */
export function legacyArchiveRelativePath(input: LayoutInput): string {
  const readable = archiveRelativePath(input);
  const ext = readable.slice(readable.lastIndexOf('.') + 1);
  return `${readable.slice(0, readable.lastIndexOf('/'))}/${safeSegment(input.remoteId)}.${ext}`;
}

/** The layout for a discovered recording. */
export function relativePathForRecording(recording: RemoteRecording, accountKey: string): string {
  return archiveRelativePath({
    provider: recording.provider,
    accountKey,
    remoteId: recording.remoteId,
    recordedAt: recording.recordedAt ?? recording.createdAt,
    format: recording.format,
    contentType: recording.contentType,
  });
}

/** Where an archive made before readable names put a discovered recording. */
export function legacyRelativePathForRecording(
  recording: RemoteRecording,
  accountKey: string,
): string {
  return legacyArchiveRelativePath({
    provider: recording.provider,
    accountKey,
    remoteId: recording.remoteId,
    recordedAt: recording.recordedAt ?? recording.createdAt,
    format: recording.format,
    contentType: recording.contentType,
  });
}
