import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * One recording in a day bundle: its two stable object keys and the sidecar's exact text, as
 * the vault holds it under sidecarKey (so a recording read from a bundle and one read from
 * its own sidecar object give the same index row).
 */
export interface BundleLine {
  mediaKey: string;
  sidecarKey: string;
  sidecarSha256: string;
  sidecar: string;
}

export const BUNDLE_FORMAT = 1;
/** A bundle never grows past this many recordings (a busy day takes several). */
export const BUNDLE_MAX_RECORDINGS = 2000;
/** Bundles larger than this compressed are refused when read (a bundle is a few MiB). */
const MAX_UNPACKED = 512 * 1024 * 1024;

export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON Lines, gzip: one `{"v":1,…}` line per recording. */
export function encodeBundle(lines: readonly BundleLine[]): Buffer {
  const text = lines.map((line) => JSON.stringify({ v: BUNDLE_FORMAT, ...line })).join('\n');
  return gzipSync(Buffer.from(`${text}\n`, 'utf8'));
}

/** The lines of a bundle; a line that is not one of ours, or whose sidecar text does not
 * have the SHA-256 it names, is returned as a problem, never trusted. */
export function decodeBundle(bytes: Buffer): { lines: BundleLine[]; bad: string[] } {
  const text = gunzipSync(bytes, { maxOutputLength: MAX_UNPACKED }).toString('utf8');
  const lines: BundleLine[] = [];
  const bad: string[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    try {
      const line = JSON.parse(raw) as Partial<BundleLine> & { v?: unknown };
      if (
        line.v !== BUNDLE_FORMAT ||
        typeof line.mediaKey !== 'string' ||
        typeof line.sidecarKey !== 'string' ||
        typeof line.sidecar !== 'string' ||
        typeof line.sidecarSha256 !== 'string'
      ) {
        bad.push(`line ${index + 1} is not a Recvault bundle line`);
      } else if (sha256Hex(line.sidecar) !== line.sidecarSha256) {
        bad.push(`line ${index + 1}: the sidecar does not have the SHA-256 the line names`);
      } else {
        lines.push({
          mediaKey: line.mediaKey,
          sidecarKey: line.sidecarKey,
          sidecarSha256: line.sidecarSha256,
          sidecar: line.sidecar,
        });
      }
    } catch {
      bad.push(`line ${index + 1} is not JSON`);
    }
  }
  return { lines, bad };
}
