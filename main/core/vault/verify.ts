import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { VaultItemRow } from '../db/vault.ts';
import { isNotFound } from './head-object.ts';
import { describeS3Error } from './bucket-check.ts';

export interface VaultFinding {
  objectKey: string;
  problem: 'missing' | 'differs' | 'unreadable';
  detail: string;
}

/** The SHA-256 of an object's current bytes, read back from the store (null: not there). */
export async function storedSha256(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ sha256: string; size: number } | null> {
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of got.Body as Readable) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return { sha256: hash.digest('hex'), size };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/**
 * Re-reads every vaulted object (or a random sample) and hashes its bytes: what the store
 * would hand a regulator, not what its metadata claims.
 */
export async function verifyObjects(
  s3: S3Client,
  bucket: string,
  items: readonly VaultItemRow[],
  sample: number | null,
): Promise<{ checked: number; findings: VaultFinding[] }> {
  const chosen = sample === null || sample >= items.length ? [...items] : pick(items, sample);
  const findings: VaultFinding[] = [];
  let next = 0;
  const worker = async () => {
    while (next < chosen.length) {
      const item = chosen[next++]!;
      try {
        const stored = await storedSha256(s3, bucket, item.objectKey);
        if (!stored) {
          findings.push({
            objectKey: item.objectKey,
            problem: 'missing',
            detail: 'not in the vault',
          });
        } else if (stored.sha256 !== item.sha256 || stored.size !== item.size) {
          findings.push({
            objectKey: item.objectKey,
            problem: 'differs',
            detail: `SHA-256 ${stored.sha256} (${stored.size} bytes), expected ${item.sha256} (${item.size} bytes)`,
          });
        }
      } catch (error) {
        findings.push({
          objectKey: item.objectKey,
          problem: 'unreadable',
          detail: describeS3Error(error),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  findings.sort((a, b) => a.objectKey.localeCompare(b.objectKey));
  return { checked: chosen.length, findings };
}

function pick<T>(items: readonly T[], n: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/** Every key under a prefix (all pages). */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}
