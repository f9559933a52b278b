import { randomUUID } from 'node:crypto';
import {
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  HeadBucketCommand,
  PutObjectRetentionCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { bufferDigests } from './hashes.ts';
import { putLockedObject } from './put-object.ts';
import type { ObjectLock } from './lock.ts';

export interface VaultCheck {
  name: 'bucket' | 'objectLock' | 'versioning' | 'write' | 'read' | 'retention';
  ok: boolean;
  detail: string;
}

const DAY_MS = 86_400_000;

/**
 * What `vault test` checks, in order; it stops at the first refusal, since a bucket without
 * Object Lock must never receive records that are then believed to be immutable.
 */
export async function checkBucket(
  s3: S3Client,
  bucket: string,
  prefix: string,
  mode: ObjectLock['mode'],
): Promise<VaultCheck[]> {
  const checks: VaultCheck[] = [];
  const step = async (name: VaultCheck['name'], run: () => Promise<string>): Promise<boolean> => {
    try {
      checks.push({ name, ok: true, detail: await run() });
      return true;
    } catch (error) {
      checks.push({ name, ok: false, detail: describeS3Error(error) });
      return false;
    }
  };
  if (
    !(await step('bucket', async () => {
      await s3.send(new HeadBucketCommand({ Bucket: bucket }));
      return `Bucket "${bucket}" exists and the keys can reach it.`;
    }))
  )
    return checks;
  if (
    !(await step('objectLock', async () => {
      const lock = await s3
        .send(new GetObjectLockConfigurationCommand({ Bucket: bucket }))
        .catch((error: unknown) => {
          if (/ObjectLockConfigurationNotFound/i.test(String((error as Error).name))) return null;
          throw error;
        });
      if (lock?.ObjectLockConfiguration?.ObjectLockEnabled !== 'Enabled') {
        throw new Error(
          `Bucket "${bucket}" has no Object Lock, so the store would let anyone delete or ` +
            `overwrite the records before their time (${mode.toLowerCase()} mode needs it). ` +
            'Object Lock can only be enabled when a bucket is created: create a new bucket with ' +
            'Object Lock enabled and add that one.',
        );
      }
      return 'Object Lock is enabled.';
    }))
  )
    return checks;
  if (
    !(await step('versioning', async () => {
      const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
      if (versioning.Status !== 'Enabled') {
        throw new Error(
          `Versioning is ${versioning.Status ?? 'off'} on "${bucket}"; it must be on.`,
        );
      }
      return 'Versioning is on.';
    }))
  )
    return checks;
  const key = `${prefix}probes/${new Date().toISOString().slice(0, 10)}/${randomUUID()}`;
  const bytes = Buffer.from(`recvault vault test ${new Date().toISOString()}\n`);
  const retainUntil = new Date(Date.now() + DAY_MS);
  let versionId: string | null = null;
  if (
    !(await step('write', async () => {
      ({ versionId } = await putLockedObject(s3, {
        bucket,
        key,
        body: bytes,
        digests: bufferDigests(bytes),
        contentType: 'text/plain',
        lock: { mode, retainUntil, legalHold: false },
      }));
      return `The keys can write a ${mode.toLowerCase()}-locked object (${key}, kept one day).`;
    }))
  )
    return checks;
  if (
    !(await step('read', async () => {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const back = Buffer.from(await got.Body!.transformToByteArray());
      if (!back.equals(bytes))
        throw new Error('The object read back differs from what was written.');
      return 'The keys can read it back, byte for byte.';
    }))
  )
    return checks;
  await step('retention', async () => {
    await s3.send(
      new PutObjectRetentionCommand({
        Bucket: bucket,
        Key: key,
        ...(versionId ? { VersionId: versionId } : {}),
        Retention: { Mode: mode, RetainUntilDate: new Date(retainUntil.getTime() + DAY_MS) },
      }),
    );
    return 'The keys can set retention.';
  });
  return checks;
}

/** An S3 failure in words: the store's code and message, never a request's credentials. */
export function describeS3Error(error: unknown): string {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  // HEAD answers have no body, so the SDK knows only the status: say what it means.
  if (!e?.name || /^Unknown/.test(e.name) || e.name === 'Forbidden' || e.name === 'NotFound') {
    if (status === 403) {
      return 'The store refused the keys (HTTP 403): the access key or secret key is wrong, or they may not use this bucket.';
    }
    if (status === 404) return 'No such bucket (HTTP 404).';
  }
  const code = e?.name && e.name !== 'Error' ? `${e.name}` : '';
  const message = e?.message && e.message !== 'UnknownError' ? e.message : '';
  return (
    [code, message, status ? `(HTTP ${status})` : ''].filter(Boolean).join(': ').trim() ||
    'The store refused without a reason.'
  );
}
