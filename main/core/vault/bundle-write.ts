import fs from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Db } from '../db/sqlite.ts';
import type { VaultTargetRow } from '../db/vault.ts';
import { recordBundle, unbundledRecordings, type UnbundledRecording } from '../db/vault-bundles.ts';
import {
  BUNDLE_MAX_RECORDINGS,
  encodeBundle,
  sha256Hex,
  type BundleLine,
} from './bundle-format.ts';
import { describeS3Error } from './bucket-check.ts';
import { bufferDigests } from './hashes.ts';
import { headObject } from './head-object.ts';
import { bundleFolderOf, bundleKey } from './keys.ts';
import { putLockedObject } from './put-object.ts';

export interface BundleDeps {
  db: Db;
  s3: S3Client;
  target: VaultTargetRow;
  archiveDir: string;
  /** The vault's floor for a new lock (its --retain-days from now). */
  floorRetainUntil: Date;
  now: Date;
}

export interface BundleResult {
  /** Recordings newly covered by a bundle written in this run. */
  recordings: number;
  bundles: number;
  failed: { item: string; reason: string }[];
}

/**
 * Writes a day bundle for every vaulted recording that no bundle covers yet: one new,
 * immutable object per recording day per run (a busy day takes several), locked like the
 * recordings it describes (the latest retain-until among them, never less than the vault's
 * floor), its SHA-256 in metadata, checked by a HEAD before the index says the recordings are
 * bundled. The same query is the back-fill: a vault written before bundles existed, or the
 * recordings an attach had to read one by one, are bundled by the next sync.
 */
export async function writeDayBundles(deps: BundleDeps): Promise<BundleResult> {
  const result: BundleResult = { recordings: 0, bundles: 0, failed: [] };
  // Keyset paging: a day that fails is passed over in this run, never retried in a loop.
  let after = '';
  for (;;) {
    const page = unbundledRecordings(deps.db, BUNDLE_MAX_RECORDINGS, after);
    if (page.length === 0) break;
    after = page.at(-1)!.mediaKey;
    for (const [folder, members] of byDay(deps.target.prefix, page)) {
      try {
        await writeOne(deps, folder, members);
        result.recordings += members.length;
        result.bundles++;
      } catch (error) {
        result.failed.push({ item: `bundle:${folder}`, reason: describeS3Error(error) });
      }
    }
  }
  return result;
}

function byDay(prefix: string, rows: readonly UnbundledRecording[]) {
  const days = new Map<string, UnbundledRecording[]>();
  for (const row of rows) {
    const folder = bundleFolderOf(prefix, row.mediaKey);
    if (folder === null) continue; // not a key of this vault's layout: nothing to bundle
    days.set(folder, [...(days.get(folder) ?? []), row]);
  }
  return days;
}

async function writeOne(deps: BundleDeps, folder: string, members: UnbundledRecording[]) {
  const { s3, target } = deps;
  const lines: BundleLine[] = [];
  let retainUntil = deps.floorRetainUntil;
  for (const member of members) {
    const sidecar = await vaultedSidecarText(deps, member);
    lines.push({
      mediaKey: member.mediaKey,
      sidecarKey: member.sidecarKey,
      sidecarSha256: member.sidecarSha256,
      sidecar,
    });
    const until = new Date(member.retainUntil);
    if (until > retainUntil) retainUntil = until;
  }
  const bytes = encodeBundle(lines);
  const digests = bufferDigests(bytes);
  const key = bundleKey(folder, deps.now, digests.sha256);
  const mode = target.mode === 'compliance' ? 'COMPLIANCE' : 'GOVERNANCE';
  await putLockedObject(s3, {
    bucket: target.bucket,
    key,
    body: bytes,
    digests,
    contentType: 'application/gzip',
    lock: { mode, retainUntil, legalHold: false },
  });
  const stored = await headObject(s3, target.bucket, key);
  if (!stored || stored.sha256 !== digests.sha256 || stored.size !== digests.size) {
    throw new Error(`The vault does not hold the day bundle ${key} as written (HEAD after PUT).`);
  }
  recordBundle(
    deps.db,
    {
      objectKey: key,
      sha256: digests.sha256,
      size: digests.size,
      versionId: stored.versionId,
      lockMode: mode,
      retainUntil: retainUntil.toISOString(),
      written: true,
    },
    members.map((m) => m.mediaKey),
    deps.now,
  );
}

/**
 * The sidecar exactly as the vault holds it: the local file when it still has the vaulted
 * SHA-256, else (notes rewrote it, or another officer's sidecar stands in the vault) the
 * vault's own object, so a bundle never says other than the recording's sidecar object.
 */
async function vaultedSidecarText(deps: BundleDeps, member: UnbundledRecording): Promise<string> {
  const local = path.join(deps.archiveDir, ...member.sidecarPath.split('/'));
  const text = await fs.promises.readFile(local, 'utf8').catch(() => null);
  if (text !== null && sha256Hex(text) === member.sidecarSha256) return text;
  const got = await deps.s3.send(
    new GetObjectCommand({ Bucket: deps.target.bucket, Key: member.sidecarKey }),
  );
  const stored = await got.Body!.transformToString('utf8');
  if (sha256Hex(stored) !== member.sidecarSha256) {
    throw new Error(`The vault's ${member.sidecarKey} does not have the SHA-256 the index names.`);
  }
  return stored;
}
