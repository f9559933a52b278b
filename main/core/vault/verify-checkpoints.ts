import fs from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { checkpointsDir } from '../custody/checkpoint.ts';
import { fileDigests } from './hashes.ts';
import { checkpointsPrefix } from './keys.ts';
import { listKeys, storedSha256 } from './verify.ts';

export interface CheckpointComparison {
  /** Checkpoint files equal, byte for byte, in the data directory and the vault. */
  matching: number;
  /** Local files the vault does not have yet (not yet uploaded: run recvault vault sync). */
  notInVault: string[];
  /** Files the vault holds that the data directory lost: the local chain was cut. */
  onlyInVault: string[];
  /** Same name, other bytes: the local file was rewritten after it was vaulted. */
  differ: string[];
}

/**
 * `audit verify --vault`: the local checkpoint files against the vault's locked copies. The
 * vault's copies are the anchor nobody on the laptop can rewrite, so a local checkpoint that
 * differs or went missing is named.
 */
export async function compareCheckpoints(
  s3: S3Client,
  bucket: string,
  prefix: string,
  dataDir: string,
): Promise<CheckpointComparison> {
  const dir = checkpointsDir(dataDir);
  const local = new Set(
    fs.existsSync(dir)
      ? fs.readdirSync(dir).filter((n) => !n.startsWith('.') && !n.endsWith('.tmp'))
      : [],
  );
  const root = checkpointsPrefix(prefix);
  const remote = new Set((await listKeys(s3, bucket, root)).map((key) => key.slice(root.length)));
  const result: CheckpointComparison = { matching: 0, notInVault: [], onlyInVault: [], differ: [] };
  for (const name of [...local].sort()) {
    if (!remote.has(name)) {
      result.notInVault.push(name);
      continue;
    }
    const [mine, theirs] = await Promise.all([
      fileDigests(path.join(dir, name)),
      storedSha256(s3, bucket, root + name),
    ]);
    if (theirs && theirs.sha256 === mine.sha256) result.matching++;
    else result.differ.push(name);
  }
  for (const name of [...remote].sort()) if (!local.has(name)) result.onlyInVault.push(name);
  return result;
}
