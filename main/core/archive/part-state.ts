// `<final>.part.json`: what a later run needs to resume a `.part` safely. Holds no URL (signed
// URLs are credentials) and nothing provider-specific: only the validator and sizes.
import { readFile, rm, stat } from 'node:fs/promises';
import * as z from 'zod';
import { writeFileAtomic } from './fs-util.ts';

const partStateSchema = z.object({
  version: z.literal(1),
  /** Strong ETag of the response the `.part` bytes came from; null → not resumable. */
  etag: z.string().nullable(),
  /** Size of the whole file as the server announced it, if it did. */
  totalSize: z.number().int().nonnegative().nullable(),
  /** The provider's metadata size when the download started. */
  expectedSize: z.number().int().nonnegative().nullable(),
  startedAt: z.string(),
});
export type PartState = z.infer<typeof partStateSchema>;

/** Only strong validators may be used with If-Range (RFC 9110 §13.1.5). */
export function isStrongEtag(etag: string | null): etag is string {
  return etag !== null && etag !== '' && !etag.startsWith('W/');
}

/**
 * Not fsynced: the state only lets a later run skip bytes already fetched. Lost or unreadable
 * after a power cut, `loadResumable` discards the `.part` and the download starts from 0; a
 * stale copy is harmless because resuming sends it as If-Range, so a different file at the
 * provider comes back whole. (The `.part` bytes themselves are fsynced only when complete.)
 * Skipping the two fsyncs per download halves the journal commits of a small-file sync.
 */
export async function writePartState(metaPath: string, state: PartState): Promise<void> {
  await writeFileAtomic(metaPath, JSON.stringify(state) + '\n', { durable: false });
}

export interface Resumable {
  bytes: number;
  etag: string;
  totalSize: number | null;
}

/**
 * Whether an earlier run's `.part` can be resumed: it needs a readable state file with a strong
 * ETag, the same provider size as now, and no more bytes than the announced total. Anything
 * else is deleted (the next request starts from 0).
 */
export async function loadResumable(
  partPath: string,
  metaPath: string,
  expectedSize: number | null,
): Promise<Resumable | null> {
  const [partStat, metaText] = await Promise.all([
    stat(partPath).catch(() => null),
    readFile(metaPath, 'utf8').catch(() => null),
  ]);
  let state: PartState | null = null;
  if (metaText !== null) {
    try {
      state = partStateSchema.parse(JSON.parse(metaText));
    } catch {
      state = null;
    }
  }
  const usable =
    partStat !== null &&
    partStat.isFile() &&
    partStat.size > 0 &&
    state !== null &&
    isStrongEtag(state.etag) &&
    state.expectedSize === expectedSize &&
    (state.totalSize === null || partStat.size <= state.totalSize);
  if (usable && state !== null && state.etag !== null) {
    return { bytes: partStat.size, etag: state.etag, totalSize: state.totalSize };
  }
  await discardPartFiles(partPath, metaPath);
  return null;
}

export async function discardPartFiles(partPath: string, metaPath: string): Promise<void> {
  await rm(partPath, { force: true });
  await rm(metaPath, { force: true });
}
