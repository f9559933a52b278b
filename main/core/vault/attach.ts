import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { assertSafeRelativePath } from '../archive/inside-archive.ts';
import { sidecarPathFor } from '../archive/sidecar.ts';
import { writeFileAtomic } from '../archive/fs-util.ts';
import { readVaultIndex, type BundleRead, type VaultIndexEntry } from './vault-index.ts';

export interface PullResult {
  recordings: number;
  /** Objects refused: an unreadable sidecar or bundle, a path outside the archive, a wrong hash. */
  problems: { objectKey: string; reason: string }[];
  /** The day bundles read, with the recordings each covers (recorded in the index). */
  bundles: BundleRead[];
  /** Recordings no bundle covered, read from their own sidecar object. */
  sidecarsRead: number;
}

/**
 * A second officer's data directory filled from the vault: the recordings' sidecars read from
 * the day bundles (a few GETs per day) and, for recordings no bundle covers, from their own
 * sidecar objects; then every recording's media written into the local archive at the
 * sidecar's own layout path (checked: relative, inside, the bytes' SHA-256 as the sidecar
 * says) with its sidecar beside it, for the index to be rebuilt from (reindex). A file
 * already there with the right hash is not fetched again.
 */
export async function pullRecordings(
  s3: S3Client,
  bucket: string,
  prefix: string,
  archiveDir: string,
  /** After each recording copied (or refused), for the app's progress. */
  onProgress?: (done: number, total: number) => void,
): Promise<PullResult> {
  const index = await readVaultIndex(s3, bucket, prefix);
  let done = 0;
  onProgress?.(0, index.entries.length);
  const result: PullResult = {
    recordings: 0,
    problems: [...index.problems],
    bundles: index.bundles,
    sidecarsRead: index.sidecarsRead,
  };
  let next = 0;
  const worker = async () => {
    while (next < index.entries.length) {
      const entry = index.entries[next++]!;
      try {
        await pullOne(s3, bucket, entry, archiveDir);
        result.recordings++;
      } catch (error) {
        result.problems.push({ objectKey: entry.mediaKey, reason: (error as Error).message });
      }
      onProgress?.(++done, index.entries.length);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return result;
}

async function pullOne(s3: S3Client, bucket: string, entry: VaultIndexEntry, archiveDir: string) {
  const file = entry.sidecar.file;
  const segments = assertSafeRelativePath(file.relativePath);
  const target = path.join(archiveDir, ...segments);
  const mediaKey = entry.mediaKey;
  if (!(await hasHash(target, file.sha256))) {
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.vault-${process.pid}.part`;
    const media = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: mediaKey }));
    const hash = createHash('sha256');
    await pipeline(
      media.Body as Readable,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          yield chunk;
        }
      },
      fs.createWriteStream(temp),
    );
    if (hash.digest('hex') !== file.sha256) {
      await fs.promises.rm(temp, { force: true });
      throw new Error(`${mediaKey} does not have the SHA-256 its sidecar names`);
    }
    const handle = await fs.promises.open(temp, 'r');
    await handle.sync();
    await handle.close();
    await fs.promises.rename(temp, target);
  }
  await writeFileAtomic(
    path.join(archiveDir, ...assertSafeRelativePath(sidecarPathFor(file.relativePath))),
    entry.sidecarText,
  );
}

async function hasHash(file: string, sha256: string): Promise<boolean> {
  try {
    const hash = createHash('sha256');
    for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
    return hash.digest('hex') === sha256;
  } catch {
    return false;
  }
}
