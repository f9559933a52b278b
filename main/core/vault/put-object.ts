import fs from 'node:fs';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { bufferDigests, type FileDigests } from './hashes.ts';
import { SHA256_METADATA, type ObjectLock } from './lock.ts';

/** Above this a file goes by multipart, in parts of this size (S3's limit: 10,000 parts). */
export const MULTIPART_THRESHOLD = 64 * 1024 * 1024;
export const PART_SIZE = 16 * 1024 * 1024;
const PART_CONCURRENCY = 4;

export interface PutInput {
  bucket: string;
  key: string;
  /** A file path, or the bytes themselves (sidecars, checkpoints). */
  body: string | Buffer;
  digests: FileDigests;
  contentType: string;
  lock: ObjectLock;
}

export interface PutResult {
  versionId: string | null;
  etag: string;
}

/**
 * Writes one object under Object Lock. Content-MD5 makes the store refuse damaged bytes (Ceph
 * Pacific ignores ChecksumSHA256, so the SHA-256 travels in metadata, where verify and resume
 * read it back). Lock headers on CreateMultipartUpload are ignored by Pacific: retention and
 * legal hold are set after Complete, and Complete's empty ETag is replaced by HeadObject's.
 */
export async function putLockedObject(s3: S3Client, input: PutInput): Promise<PutResult> {
  if (input.digests.size > MULTIPART_THRESHOLD && typeof input.body === 'string') {
    return putMultipart(s3, input);
  }
  const body = typeof input.body === 'string' ? fs.createReadStream(input.body) : input.body;
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: input.bucket,
      Key: input.key,
      Body: body,
      ContentLength: input.digests.size,
      ContentMD5: input.digests.md5Base64,
      ContentType: input.contentType,
      Metadata: { [SHA256_METADATA]: input.digests.sha256 },
      ObjectLockMode: input.lock.mode,
      ObjectLockRetainUntilDate: input.lock.retainUntil,
      ObjectLockLegalHoldStatus: input.lock.legalHold ? 'ON' : 'OFF',
    }),
  );
  return { versionId: put.VersionId ?? null, etag: put.ETag ?? '' };
}

async function putMultipart(s3: S3Client, input: PutInput): Promise<PutResult> {
  const file = input.body as string;
  const { bucket, key } = input;
  const created = await s3.send(
    new CreateMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      ContentType: input.contentType,
      Metadata: { [SHA256_METADATA]: input.digests.sha256 },
    }),
  );
  const uploadId = created.UploadId!;
  const count = Math.ceil(input.digests.size / PART_SIZE);
  const parts: { PartNumber: number; ETag: string }[] = new Array(count);
  const handle = await fs.promises.open(file, 'r');
  try {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const index = next++;
        const length = Math.min(PART_SIZE, input.digests.size - index * PART_SIZE);
        const bytes = Buffer.allocUnsafe(length);
        await handle.read(bytes, 0, length, index * PART_SIZE);
        const part = await s3.send(
          new UploadPartCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            PartNumber: index + 1,
            Body: bytes,
            ContentLength: length,
            ContentMD5: bufferDigests(bytes).md5Base64,
          }),
        );
        parts[index] = { PartNumber: index + 1, ETag: part.ETag! };
      }
    };
    await Promise.all(Array.from({ length: Math.min(PART_CONCURRENCY, count) }, worker));
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    const versionId = done.VersionId ?? null;
    await applyLock(s3, bucket, key, versionId, input.lock);
    const head = await s3.send(
      new HeadObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
    return { versionId: versionId ?? head.VersionId ?? null, etag: head.ETag ?? '' };
  } catch (error) {
    await s3
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
      .catch(() => undefined);
    throw error;
  } finally {
    await handle.close();
  }
}

/** Retention (and legal hold when asked) on one version, for what a create could not carry. */
export async function applyLock(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId: string | null,
  lock: ObjectLock,
): Promise<void> {
  const version = versionId ? { VersionId: versionId } : {};
  await s3.send(
    new PutObjectRetentionCommand({
      Bucket: bucket,
      Key: key,
      ...version,
      Retention: { Mode: lock.mode, RetainUntilDate: lock.retainUntil },
    }),
  );
  if (lock.legalHold) await setLegalHold(s3, bucket, key, versionId, true);
}

export async function setLegalHold(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId: string | null,
  on: boolean,
): Promise<void> {
  await s3.send(
    new PutObjectLegalHoldCommand({
      Bucket: bucket,
      Key: key,
      ...(versionId ? { VersionId: versionId } : {}),
      LegalHold: { Status: on ? 'ON' : 'OFF' },
    }),
  );
}
