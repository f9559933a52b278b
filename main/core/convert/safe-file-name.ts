// Makes an untrusted string into a file name that is valid and harmless on Windows, macOS and
// Linux: no separators or illegal characters, no control or bidi characters, no reserved
// Windows device names, no trailing dots or spaces, no "..", no hidden dot-files, bounded length.

/** Default cap for the stem in UTF-8 bytes; leaves room for " (999)" and an extension. */
export const MAX_STEM_BYTES = 150;

const ILLEGAL = /[<>:"/\\|?*]/g;
// C0 and C1 controls (NUL included), DEL.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// Bidi overrides and isolates can make "evil‮3pm.exe" display as "evilexe.mp3".
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// CON, PRN, AUX, NUL, COM1-9, LPT1-9 (also the superscript digits Windows treats alike),
// CONIN$ and CONOUT$: reserved whatever extension follows.
const RESERVED = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³]|conin\$|conout\$)$/i;

/** A safe stem (no extension). Never empty: falls back to `fallback`. */
export function safeStem(raw: string, maxBytes = MAX_STEM_BYTES, fallback = 'recording'): string {
  let stem = raw
    .normalize('NFC')
    .replace(CONTROL, '_')
    .replace(BIDI, '')
    .replace(ILLEGAL, '_')
    // ".." never survives, even inside a name; a run of dots becomes one.
    .replace(/\.{2,}/g, '.')
    // Leading dots would hide the file (and a lone "." is the directory itself).
    .replace(/^\./, '_')
    .trim();
  stem = truncateUtf8(stem, maxBytes);
  stem = trimEnd(stem);
  if (stem === '') stem = fallback;
  // Windows applies device names to the part before the first dot, ignoring trailing spaces.
  const base = (stem.split('.')[0] ?? '').trimEnd();
  if (RESERVED.test(base)) stem = `_${stem}`;
  return stem;
}

/** A safe extension: lowercase letters and digits only, at most 10 characters. */
export function safeExtension(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 10);
}

/** `stem.ext`, both made safe; a stem longer than `maxStemBytes` is cut, the extension kept. */
export function safeFileName(
  stem: string,
  extension: string,
  maxStemBytes = MAX_STEM_BYTES,
): string {
  const ext = safeExtension(extension);
  const s = safeStem(stem, maxStemBytes);
  return ext ? `${s}.${ext}` : s;
}

/** Cuts to at most `maxBytes` of UTF-8 without splitting a character (grapheme cluster). */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(
    text,
  )) {
    const size = Buffer.byteLength(segment);
    if (bytes + size > maxBytes) break;
    out += segment;
    bytes += size;
  }
  return out;
}

function trimEnd(stem: string): string {
  // Windows silently drops trailing dots and spaces, so "a." and "a" would collide.
  return stem.replace(/[. ]+$/, '');
}
