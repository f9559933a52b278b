import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { assertSafeRelativePath } from '../archive/inside-archive.ts';
import { sidecarPathFor } from '../archive/sidecar.ts';
import { writeFileAtomic } from '../archive/fs-util.ts';
import { enqueueVaultItem, markVaulted, type VaultTargetRow } from '../db/vault.ts';
import type { Db } from '../db/sqlite.ts';
import { inTransaction } from '../db/transaction.ts';
import { indexSidecar } from '../integrity/reindex.ts';
import { sha256Hex } from './bundle-format.ts';
import { readVaultIndex, type BundleRead, type VaultIndexEntry } from './vault-index.ts';

export interface PullResult {
  recordings: number;
  /** Objects refused: an unreadable sidecar or bundle, a path outside the archive, a wrong hash. */
  problems: { objectKey: string; reason: string }[];
  /** The day bundles read, with the recordings each covers (recorded in the index). */
  bundles: BundleRead[];
  /** Recordings no bundle covered, read from their own sidecar object. */
  sidecarsRead: number;
  /** Media files copied into this archive (only with copyMedia). */
  copied: number;
}

export interface AttachOptions {
  db: Db;
  target: VaultTargetRow;
  archiveDir: string;
  /** Also copy every media file into this archive (hash-checked); by default none is. */
  copyMedia: boolean;
  now: Date;
  /** After each recording indexed (or, copying, copied or refused), for the app's progress. */
  onProgress?: (done: number, total: number) => void;
}

/** Index rows written per transaction: a million recordings commit in a few thousand steps. */
const INDEX_BATCH = 500;

/**
 * A second officer's data directory filled from the vault: the recordings' sidecars read from
 * the day bundles (a few GETs per day) and, for recordings no bundle covers, from their own
 * sidecar objects; each indexed at once from its sidecar (search works, no file needed) with
 * its media and sidecar objects recorded as vaulted, so the upload queue never reads a local
 * file for them, and playback, exports and verify read the objects. Only with `copyMedia` is
 * every media file copied into the local archive at the sidecar's own layout path (checked:
 * relative, inside, the bytes' SHA-256 as the sidecar says) with its sidecar beside it; a file
 * already there with the right hash is not fetched again.
 */
export async function pullRecordings(s3: S3Client, options: AttachOptions): Promise<PullResult> {
  const { target } = options;
  const index = await readVaultIndex(s3, target.bucket, target.prefix);
  const result: PullResult = {
    recordings: 0,
    problems: [...index.problems],
    bundles: index.bundles,
    sidecarsRead: index.sidecarsRead,
    copied: 0,
  };
  const total = index.entries.length;
  options.onProgress?.(0, total);
  const indexed: VaultIndexEntry[] = [];
  for (let i = 0; i < total; i += INDEX_BATCH) {
    const batch = index.entries.slice(i, i + INDEX_BATCH);
    inTransaction(options.db, () => {
      for (const entry of batch) {
        try {
          assertSafeRelativePath(entry.sidecar.file.relativePath);
          indexEntry(options, entry);
          indexed.push(entry);
        } catch (error) {
          result.problems.push({ objectKey: entry.sidecarKey, reason: (error as Error).message });
        }
      }
    });
    if (!options.copyMedia) options.onProgress?.(Math.min(i + INDEX_BATCH, total), total);
  }
  result.recordings = indexed.length;
  if (!options.copyMedia) return result;

  let done = 0;
  let next = 0;
  options.onProgress?.(0, indexed.length);
  const worker = async () => {
    while (next < indexed.length) {
      const entry = indexed[next++]!;
      try {
        await pullOne(s3, target.bucket, entry, options.archiveDir);
        result.copied++;
      } catch (error) {
        result.problems.push({ objectKey: entry.mediaKey, reason: (error as Error).message });
      }
      options.onProgress?.(++done, indexed.length);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return result;
}

/**
 * The recording's index row from its sidecar, and its two objects as vaulted: what the bundle
 * or sidecar object said is in the store, with the lock every upload of this vault set at
 * least (its --retain-days from the archiving; a longer one stays the store's, never less).
 * An object already in this directory's queue (an attach again) is left as it is.
 */
function indexEntry(options: AttachOptions, entry: VaultIndexEntry): void {
  const { db, target } = options;
  const file = entry.sidecar.file;
  const recordingId = indexSidecar(db, entry.sidecar, { accountsRecreated: [] });
  const archivedAt = Date.parse(entry.sidecar.archivedAt);
  const from = Number.isFinite(archivedAt) ? archivedAt : options.now.getTime();
  const lock = {
    versionId: null,
    lockMode: target.mode === 'compliance' ? 'COMPLIANCE' : 'GOVERNANCE',
    retainUntil: new Date(from + target.retainDays * 86_400_000).toISOString(),
    legalHold: false,
  };
  const sidecarBytes = Buffer.from(entry.sidecarText, 'utf8');
  const objects = [
    {
      item: `media:${recordingId}`,
      kind: 'media' as const,
      localPath: file.relativePath,
      objectKey: entry.mediaKey,
      sha256: file.sha256,
      size: file.size,
    },
    {
      item: `sidecar:${recordingId}`,
      kind: 'sidecar' as const,
      localPath: sidecarPathFor(file.relativePath),
      objectKey: entry.sidecarKey,
      sha256: sha256Hex(sidecarBytes),
      size: sidecarBytes.length,
    },
  ];
  for (const object of objects) {
    if (enqueueVaultItem(db, { ...object, recordingId }, options.now)) {
      markVaulted(
        db,
        object.item,
        { ...lock, sha256: object.sha256, size: object.size },
        options.now,
      );
    }
  }
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
