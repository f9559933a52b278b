import fs from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { sidecarPathFor } from '../archive/sidecar.ts';
import { checkpointsDir } from '../custody/checkpoint.ts';
import type { Db } from '../db/sqlite.ts';
import {
  archivedNotQueued,
  enqueueVaultItem,
  markVaulted,
  markVaultFailed,
  pendingVaultItems,
  setVaultLegalHold,
  vaultedItems,
  type VaultItemRow,
  type VaultTargetRow,
} from '../db/vault.ts';
import { describeS3Error } from './bucket-check.ts';
import { writeDayBundles } from './bundle-write.ts';
import { fileDigests } from './hashes.ts';
import { headObject, type StoredObject } from './head-object.ts';
import { checkpointKey, checkpointsPrefix, folderOfKey, recordingKeys } from './keys.ts';
import { KeyPresence } from './key-presence.ts';
import { isPayloadShaMismatch } from './payload-sha256.ts';
import type { ObjectLock } from './lock.ts';
import { applyLock, putLockedFile, setLegalHold } from './put-object.ts';
import type { ProviderKind } from '../providers/types.ts';

export interface QueueDeps {
  db: Db;
  s3: S3Client;
  target: VaultTargetRow;
  archiveDir: string;
  dataDir: string;
  /** Whether a live legal hold holds the recording (compliance/holds). */
  isHeld: (recordingId: number) => boolean;
  /** The retain-until its retention rule asks for (at least the vault's --retain-days). */
  retainUntil: (recordingId: number | null, now: Date) => Date;
  now?: () => Date;
  concurrency?: number;
  /** Test seam: called after a PUT, before the row says vaulted (a test kills the process here). */
  afterPut?: () => void;
  /** Called after each object is vaulted or failed (the app's status follows the back-fill). */
  onItemDone?: () => void;
}

export interface DrainResult {
  uploaded: number;
  alreadyThere: number;
  failed: { item: string; reason: string }[];
  holdsChanged: number;
  /** Recordings newly covered by a day bundle this run (vault-index). */
  bundled: number;
}

const MAX_ATTEMPTS = 5;
const BATCH = 200;

/**
 * Puts in the queue every archived recording (media and sidecar) and every checkpoint file
 * that has no row yet: run after each sync and on demand, it is also the back-fill.
 */
export function enqueueMissing(deps: QueueDeps): number {
  const { db, target } = deps;
  let added = 0;
  for (;;) {
    const rows = archivedNotQueued(db, BATCH);
    if (rows.length === 0) break;
    for (const row of rows) {
      const extension = path.extname(row.localPath).slice(1) || 'bin';
      const keys = recordingKeys(target.prefix, {
        provider: row.provider as ProviderKind,
        accountName: row.accountName,
        remoteId: row.remoteId,
        recordedAt: row.recordedAt,
        extension,
      });
      const base = { recordingId: row.id };
      // The sidecar's SHA-256 is taken when it is uploaded (notes and tags rewrite it).
      enqueueVaultItem(db, {
        ...base,
        item: `sidecar:${row.id}`,
        kind: 'sidecar',
        localPath: sidecarPathFor(row.localPath),
        objectKey: keys.sidecar,
        sha256: '',
        size: 0,
      });
      enqueueVaultItem(db, {
        ...base,
        item: `media:${row.id}`,
        kind: 'media',
        localPath: row.localPath,
        objectKey: keys.media,
        sha256: row.sha256,
        size: row.size,
      });
      added++;
    }
  }
  added += enqueueCheckpoints(deps);
  return added;
}

function enqueueCheckpoints(deps: QueueDeps): number {
  let names: string[];
  try {
    names = fs.readdirSync(checkpointsDir(deps.dataDir));
  } catch {
    return 0;
  }
  let added = 0;
  for (const name of names.sort()) {
    if (name.startsWith('.') || name.endsWith('.tmp')) continue;
    const queued = enqueueVaultItem(deps.db, {
      item: `checkpoint:${name}`,
      kind: 'checkpoint',
      recordingId: null,
      localPath: name,
      objectKey: checkpointKey(deps.target.prefix, name),
      sha256: '',
      size: 0,
    });
    if (queued) added++;
  }
  return added;
}

/** Uploads what the queue holds, then makes the objects' legal holds match the index. */
export async function drainQueue(deps: QueueDeps): Promise<DrainResult> {
  const result: DrainResult = {
    uploaded: 0,
    alreadyThere: 0,
    failed: [],
    holdsChanged: 0,
    bundled: 0,
  };
  const seen = new Set<string>();
  const presence = new KeyPresence(deps.s3, deps.target.bucket);
  for (;;) {
    const batch = pendingVaultItems(deps.db, BATCH, MAX_ATTEMPTS).filter((i) => !seen.has(i.item));
    // One listing per folder for the whole drain: what it does not show is PUT without a HEAD.
    if (batch.length === 0) break;
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const item = batch[next++]!;
        seen.add(item.item);
        try {
          const outcome = await uploadOne(deps, presence, item);
          if (outcome === 'uploaded') result.uploaded++;
          else result.alreadyThere++;
        } catch (error) {
          const reason = describeS3Error(error);
          markVaultFailed(deps.db, item.item, reason, now(deps));
          result.failed.push({ item: item.item, reason });
        }
        deps.onItemDone?.();
      }
    };
    await Promise.all(Array.from({ length: deps.concurrency ?? 4 }, worker));
  }
  result.holdsChanged = await reconcileHolds(deps);
  const bundles = await writeDayBundles({
    db: deps.db,
    s3: deps.s3,
    target: deps.target,
    archiveDir: deps.archiveDir,
    floorRetainUntil: deps.retainUntil(null, now(deps)),
    now: now(deps),
  });
  result.bundled = bundles.recordings;
  result.failed.push(...bundles.failed);
  return result;
}

function now(deps: QueueDeps): Date {
  return deps.now?.() ?? new Date();
}

function localFile(deps: QueueDeps, item: VaultItemRow): string {
  return item.kind === 'checkpoint'
    ? path.join(checkpointsDir(deps.dataDir), item.localPath)
    : path.join(deps.archiveDir, ...item.localPath.split('/'));
}

function wantedLock(deps: QueueDeps, item: VaultItemRow): ObjectLock {
  const mode = deps.target.mode === 'compliance' ? 'COMPLIANCE' : 'GOVERNANCE';
  const retainUntil = deps.retainUntil(item.recordingId, now(deps));
  const legalHold = item.recordingId !== null && deps.isHeld(item.recordingId);
  return { mode, retainUntil, legalHold };
}

/**
 * One object. The drain's listing says whether the key may be there already: if it may (a
 * resumed run after a crash, a cut or a kill; another officer's object), HEAD and compare the
 * SHA-256, and write nothing when it is there; if not, PUT at once (the store checks the
 * bytes' MD5 and the index's SHA-256 itself, see putLockedFile). The row says vaulted only
 * after a HEAD showed this SHA-256 and size under the key.
 */
async function uploadOne(
  deps: QueueDeps,
  presence: KeyPresence,
  item: VaultItemRow,
): Promise<'uploaded' | 'there'> {
  const { s3, target } = deps;
  const file = localFile(deps, item);
  // An attached officer's recording: no file here, the vault holds it (its bundles said so).
  if (item.sha256 && !fs.existsSync(file)) return heldWithoutLocalFile(deps, item);
  const lock = wantedLock(deps, item);
  const known = item.kind === 'media' ? { sha256: item.sha256, size: item.size } : null;
  if (await presence.mayExist(item.objectKey, listingFolder(deps, item))) {
    const existing = await headObject(s3, target.bucket, item.objectKey);
    if (existing) {
      const local = known ?? (await fileDigests(file));
      const same = existing.sha256 === local.sha256 && existing.size === local.size;
      // A sidecar another officer wrote for the same recording stays the recording's sidecar
      // (its local paths differ from ours): one object per recording, never a second version.
      if (!same && item.kind !== 'sidecar') {
        throw new Error(
          item.kind === 'checkpoint'
            ? `The vault's ${item.objectKey} differs from the local checkpoint file: the local file was changed after it was vaulted (run recvault audit verify --vault).`
            : `The vault holds other bytes under ${item.objectKey} (SHA-256 ${existing.sha256 ?? 'none'}); left as it is.`,
        );
      }
      await ensureLock(deps, item, existing, lock);
      record(deps, item, existing.versionId, lock, existing.sha256 ?? '', existing.size);
      return 'there';
    }
  }
  let put;
  try {
    put = await putLockedFile(s3, {
      bucket: target.bucket,
      key: item.objectKey,
      file,
      sha256: known?.sha256 ?? null,
      contentType: contentTypeOf(item),
      lock,
    });
  } catch (error) {
    if (!isPayloadShaMismatch(error) && !/does not have the SHA-256/.test(String(error))) {
      throw error;
    }
    throw new Error(
      `The archived file ${item.localPath} no longer matches the index (SHA-256 ${item.sha256.slice(0, 12)}…); run recvault verify. It was not vaulted.`,
      { cause: error },
    );
  }
  deps.afterPut?.();
  const stored = await headObject(s3, target.bucket, item.objectKey);
  if (!stored || stored.sha256 !== put.sha256 || stored.size !== put.size) {
    throw new Error(`The vault does not hold ${item.objectKey} as written (HEAD after PUT).`);
  }
  record(deps, item, stored.versionId, lock, put.sha256, put.size);
  return 'uploaded';
}

/** The folder one listing covers: a recording day's folder, or the checkpoints. */
function listingFolder(deps: QueueDeps, item: VaultItemRow): string {
  if (item.kind === 'checkpoint') return checkpointsPrefix(deps.target.prefix);
  return folderOfKey(folderOfKey(item.objectKey).slice(0, -1));
}

/**
 * An object with no local file (an attached officer's recording, queued again by vault verify):
 * nothing to upload, so the store must hold the SHA-256 the row names; never a file read.
 */
async function heldWithoutLocalFile(deps: QueueDeps, item: VaultItemRow): Promise<'there'> {
  const existing = await headObject(deps.s3, deps.target.bucket, item.objectKey);
  if (!existing || existing.sha256 !== item.sha256 || existing.size !== item.size) {
    throw new Error(
      `${item.localPath} has no copy on this computer and the vault does not hold ${item.objectKey} with its SHA-256; run recvault vault verify and ask whoever runs the vault.`,
    );
  }
  const lock = wantedLock(deps, item);
  await ensureLock(deps, item, existing, lock);
  record(deps, item, existing.versionId, lock, item.sha256, item.size);
  return 'there';
}

function record(
  deps: QueueDeps,
  item: VaultItemRow,
  versionId: string | null,
  lock: ObjectLock,
  sha256: string,
  size: number,
): void {
  markVaulted(
    deps.db,
    item.item,
    {
      versionId,
      lockMode: lock.mode,
      retainUntil: lock.retainUntil.toISOString(),
      legalHold: lock.legalHold,
      sha256,
      size,
    },
    now(deps),
  );
}

/** An object found in place keeps at least the retention and the hold we want for it. */
async function ensureLock(
  deps: QueueDeps,
  item: VaultItemRow,
  existing: StoredObject,
  lock: ObjectLock,
): Promise<void> {
  const { s3, target } = deps;
  if (!existing.retainUntil || existing.retainUntil < lock.retainUntil) {
    await applyLock(s3, target.bucket, item.objectKey, existing.versionId, {
      ...lock,
      legalHold: false,
    });
  } else {
    lock.retainUntil = existing.retainUntil;
  }
  if (existing.legalHold !== lock.legalHold && lock.legalHold) {
    await setLegalHold(s3, target.bucket, item.objectKey, existing.versionId, true);
  }
}

/** Holds placed or released in the index since the objects were written. */
export async function reconcileHolds(deps: QueueDeps): Promise<number> {
  let changed = 0;
  for (const item of vaultedItems(deps.db, null)) {
    if (item.recordingId === null) continue;
    const held = deps.isHeld(item.recordingId);
    if (held === item.legalHold) continue;
    await setLegalHold(deps.s3, deps.target.bucket, item.objectKey, item.versionId, held);
    setVaultLegalHold(deps.db, item.item, held, now(deps));
    changed++;
  }
  return changed;
}

function contentTypeOf(item: VaultItemRow): string {
  if (item.kind === 'sidecar' || item.localPath.endsWith('.json')) return 'application/json';
  if (item.kind === 'checkpoint') return 'application/octet-stream';
  const ext = path.extname(item.localPath).slice(1).toLowerCase();
  const types: Record<string, string> = {
    wav: 'audio/wav',
    mp3: 'audio/mpeg',
    ogg: 'audio/ogg',
    opus: 'audio/ogg',
    m4a: 'audio/mp4',
    mp4: 'video/mp4',
    webm: 'video/webm',
  };
  return types[ext] ?? 'application/octet-stream';
}
