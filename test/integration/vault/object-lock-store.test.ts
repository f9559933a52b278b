import fs from 'node:fs';
import path from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBucket } from '../../../main/core/vault/bucket-check.ts';
import { makeS3Client } from '../../../main/core/vault/client.ts';
import { bufferDigests, fileDigests } from '../../../main/core/vault/hashes.ts';
import { headObject } from '../../../main/core/vault/head-object.ts';
import { MULTIPART_THRESHOLD, putLockedObject } from '../../../main/core/vault/put-object.ts';
import { startCephS3, type CephS3 } from '../../support/ceph-s3.ts';
import { tempDir } from '../../support/tmp.ts';

// A real Ceph RGW (Pacific), started for this file and stopped after it.
let ceph: CephS3;
let s3: S3Client;
const LOCKED = 'locked';
const PLAIN = 'plain';
const DAY = 86_400_000;

beforeAll(async () => {
  ceph = await startCephS3();
  console.log(`ceph rgw ready in ${ceph.startMs} ms, ${ceph.rssMiB} MiB resident`);
  s3 = makeS3Client({ ...ceph });
  await s3.send(new CreateBucketCommand({ Bucket: LOCKED, ObjectLockEnabledForBucket: true }));
  await s3.send(new CreateBucketCommand({ Bucket: PLAIN }));
}, 240_000);

afterAll(async () => {
  s3?.destroy();
  await ceph?.stop();
}, 60_000);

describe('the vault store layer on Ceph RGW', () => {
  it('checks a bucket with Object Lock and refuses one without, saying why', async () => {
    const good = await checkBucket(s3, LOCKED, 'team/', 'COMPLIANCE');
    expect(good.map((c) => [c.name, c.ok])).toEqual([
      ['bucket', true],
      ['objectLock', true],
      ['versioning', true],
      ['write', true],
      ['read', true],
      ['retention', true],
    ]);
    const bad = await checkBucket(s3, PLAIN, '', 'COMPLIANCE');
    expect(bad.at(-1)).toMatchObject({ name: 'objectLock', ok: false });
    expect(bad.at(-1)!.detail).toMatch(/has no Object Lock/);
    expect(bad.some((c) => c.name === 'write')).toBe(false);
  });

  it('writes bytes under compliance retention that read back equal and cannot be deleted', async () => {
    const bytes = Buffer.from('a call recording, as it was archived\n'.repeat(1000));
    const retainUntil = new Date(Date.now() + 3 * DAY);
    const put = await putLockedObject(s3, {
      bucket: LOCKED,
      key: 'r/one/media.wav',
      body: bytes,
      digests: bufferDigests(bytes),
      contentType: 'audio/wav',
      lock: { mode: 'COMPLIANCE', retainUntil, legalHold: false },
    });
    const got = await s3.send(new GetObjectCommand({ Bucket: LOCKED, Key: 'r/one/media.wav' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes)).toBe(true);
    const head = await headObject(s3, LOCKED, 'r/one/media.wav');
    expect(head).toMatchObject({ sha256: bufferDigests(bytes).sha256, lockMode: 'COMPLIANCE' });
    expect(head!.retainUntil!.getTime()).toBeGreaterThanOrEqual(retainUntil.getTime() - 1000);
    const deleting = s3.send(
      new DeleteObjectCommand({
        Bucket: LOCKED,
        Key: 'r/one/media.wav',
        VersionId: put.versionId!,
      }),
    );
    await expect(deleting).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    const still = await s3.send(new GetObjectCommand({ Bucket: LOCKED, Key: 'r/one/media.wav' }));
    expect((await still.Body!.transformToByteArray()).length).toBe(bytes.length);
  });

  it('refuses damaged bytes by their Content-MD5', async () => {
    const bytes = Buffer.from('original');
    // The right SHA-256 (the store checks the signed payload hash too, and first), a wrong MD5.
    const digests = {
      ...bufferDigests(bytes),
      md5Base64: bufferDigests(Buffer.from('something else')).md5Base64,
    };
    await expect(
      putLockedObject(s3, {
        bucket: LOCKED,
        key: 'r/damaged',
        body: bytes,
        digests,
        contentType: 'audio/wav',
        lock: { mode: 'GOVERNANCE', retainUntil: new Date(Date.now() + DAY), legalHold: false },
      }),
    ).rejects.toMatchObject({ name: 'BadDigest' });
    expect(await headObject(s3, LOCKED, 'r/damaged')).toBeNull();
  });

  it('locks a multipart upload after Complete (Pacific ignores lock headers on create) with a legal hold', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'big.wav');
    const size = MULTIPART_THRESHOLD + 5 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024);
    const fd = fs.openSync(file, 'w');
    for (let i = 0; i < size / chunk.length; i++) fs.writeSync(fd, chunk.fill(i % 251));
    fs.closeSync(fd);
    const digests = await fileDigests(file);
    const retainUntil = new Date(Date.now() + 2 * DAY);
    const put = await putLockedObject(s3, {
      bucket: LOCKED,
      key: 'r/big/media.wav',
      body: file,
      digests,
      contentType: 'audio/wav',
      lock: { mode: 'COMPLIANCE', retainUntil, legalHold: true },
    });
    expect(put.etag).not.toBe('');
    const retention = await s3.send(
      new GetObjectRetentionCommand({ Bucket: LOCKED, Key: 'r/big/media.wav' }),
    );
    expect(retention.Retention?.Mode).toBe('COMPLIANCE');
    const hold = await s3.send(
      new GetObjectLegalHoldCommand({ Bucket: LOCKED, Key: 'r/big/media.wav' }),
    );
    expect(hold.LegalHold?.Status).toBe('ON');
    const head = await headObject(s3, LOCKED, 'r/big/media.wav');
    expect(head).toMatchObject({ sha256: digests.sha256, size, legalHold: true });
  });
});
