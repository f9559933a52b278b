// Resolves name collisions deterministically: in input order, the first keeps `name.ext`, the
// next gets `name (2).ext`, then `name (3).ext`… Comparison ignores case and Unicode
// normalisation, because Windows and macOS file systems do.
import { MAX_STEM_BYTES, truncateUtf8 } from './safe-file-name.ts';

export function fileNameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/**
 * `names` are already safe `stem.ext` names; `taken` holds names that must not be produced
 * (e.g. manifest.csv). Returns one unique name per input, in the same order.
 */
export function uniqueFileNames(
  names: readonly string[],
  taken: Iterable<string> = [],
  maxStemBytes = MAX_STEM_BYTES,
): string[] {
  const used = new Set([...taken].map(fileNameKey));
  return names.map((name) => {
    let candidate = name;
    const { stem, ext } = splitName(name);
    for (let n = 2; used.has(fileNameKey(candidate)); n++) {
      const suffix = ` (${n})`;
      const room = maxStemBytes - Buffer.byteLength(suffix);
      // Cutting may leave a trailing dot or space; Windows would drop it, so trim it here.
      const base = truncateUtf8(stem, room).replace(/[. ]+$/, '');
      candidate = `${base}${suffix}${ext}`;
    }
    used.add(fileNameKey(candidate));
    return candidate;
  });
}

function splitName(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? { stem: name.slice(0, dot), ext: name.slice(dot) } : { stem: name, ext: '' };
}
