import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parseSidecar, type Sidecar } from '../archive/sidecar.ts';
import { decodeBundle, sha256Hex } from './bundle-format.ts';
import { describeS3Error } from './bucket-check.ts';
import { SHA256_METADATA } from './lock.ts';
import { bundlesPrefix, folderOfKey } from './keys.ts';
import { listKeys } from './verify.ts';

/** One recording as the vault describes it: its object keys and its sidecar's exact text. */
export interface VaultIndexEntry {
  mediaKey: string;
  sidecarKey: string;
  sidecarText: string;
  sidecar: Sidecar;
  /** The bundle it was read from, or null when from its own sidecar object. */
  bundleKey: string | null;
}

export interface BundleRead {
  key: string;
  sha256: string;
  size: number;
  versionId: string | null;
  mediaKeys: string[];
}

export interface VaultIndex {
  entries: VaultIndexEntry[];
  bundles: BundleRead[];
  /** Recordings no bundle covers, read from their own sidecar object (one GET each). */
  sidecarsRead: number;
  problems: { objectKey: string; reason: string }[];
}

const SIDECAR = 'sidecar.json';
const CONCURRENCY = 4;

/**
 * The vault's recordings, read the cheap way: every day bundle under `index/` (a few objects
 * per day, each checked against its own SHA-256), then, from one listing of `recordings/`,
 * the sidecar object of each recording no bundle covers. A recording in several bundles (two
 * officers, or a back-fill after a crash) counts once: the first bundle in key order, i.e. the
 * oldest batch, is kept; all describe the same media object under the same stable key.
 */
export async function readVaultIndex(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<VaultIndex> {
  const index: VaultIndex = { entries: [], bundles: [], sidecarsRead: 0, problems: [] };
  const byFolder = new Map<string, VaultIndexEntry>();
  const recordingsRoot = `${prefix}recordings/`;
  const bundleKeys = (await listKeys(s3, bucket, bundlesPrefix(prefix)))
    .filter((key) => key.endsWith('.jsonl.gz'))
    .sort();
  const read = await mapLimit(bundleKeys, CONCURRENCY, (key) =>
    readBundle(s3, bucket, key).catch((error: unknown) => {
      index.problems.push({ objectKey: key, reason: describeS3Error(error) });
      return null;
    }),
  );
  for (const [i, bundle] of read.entries()) {
    if (!bundle) continue;
    const key = bundleKeys[i]!;
    for (const reason of bundle.bad) index.problems.push({ objectKey: key, reason });
    const mediaKeys: string[] = [];
    for (const line of bundle.lines) {
      const folder = folderOfKey(line.sidecarKey);
      const parsed = parseSidecar(line.sidecar);
      if (
        !folder.startsWith(recordingsRoot) ||
        line.sidecarKey !== `${folder}${SIDECAR}` ||
        folderOfKey(line.mediaKey) !== folder ||
        !parsed.ok
      ) {
        index.problems.push({
          objectKey: key,
          reason: `${line.sidecarKey}: ${parsed.ok ? 'keys outside this vault' : parsed.message}`,
        });
        continue;
      }
      mediaKeys.push(line.mediaKey);
      if (byFolder.has(folder)) continue;
      byFolder.set(folder, {
        mediaKey: line.mediaKey,
        sidecarKey: line.sidecarKey,
        sidecarText: line.sidecar,
        sidecar: parsed.sidecar,
        bundleKey: key,
      });
    }
    index.bundles.push({ ...bundle.object, key, mediaKeys });
  }

  // What no bundle covers: one listing (1,000 keys a page), one GET per uncovered sidecar.
  const mediaOf = new Map<string, string>();
  const uncovered: string[] = [];
  for (const key of await listKeys(s3, bucket, recordingsRoot)) {
    const folder = folderOfKey(key);
    const name = key.slice(folder.length);
    if (name.startsWith('media.')) mediaOf.set(folder, key);
    else if (name === SIDECAR && !byFolder.has(folder)) uncovered.push(key);
  }
  await mapLimit(uncovered, CONCURRENCY, async (sidecarKey) => {
    const folder = folderOfKey(sidecarKey);
    try {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: sidecarKey }));
      const text = await got.Body!.transformToString('utf8');
      index.sidecarsRead++;
      const parsed = parseSidecar(text);
      if (!parsed.ok) throw new Error(`not a Recvault sidecar: ${parsed.message}`);
      const mediaKey = mediaOf.get(folder);
      if (!mediaKey) throw new Error('the vault holds no media object beside this sidecar');
      byFolder.set(folder, {
        mediaKey,
        sidecarKey,
        sidecarText: text,
        sidecar: parsed.sidecar,
        bundleKey: null,
      });
    } catch (error) {
      index.problems.push({ objectKey: sidecarKey, reason: describeS3Error(error) });
    }
  });
  index.entries = [...byFolder.values()].sort((a, b) => a.mediaKey.localeCompare(b.mediaKey));
  return index;
}

async function readBundle(s3: S3Client, bucket: string, key: string) {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = Buffer.from(await got.Body!.transformToByteArray());
  const named = got.Metadata?.[SHA256_METADATA];
  const sha256 = sha256Hex(bytes);
  // A bundle is trusted only with the SHA-256 it was written with: its recordings fall back
  // to their own sidecar objects otherwise.
  if (named !== sha256) {
    throw new Error(
      `the day bundle's bytes do not have the SHA-256 in its metadata (${named ?? 'none'})`,
    );
  }
  return {
    ...decodeBundle(bytes),
    object: { sha256, size: bytes.length, versionId: got.VersionId ?? null },
  };
}

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await run(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
