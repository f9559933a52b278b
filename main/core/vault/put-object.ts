import { createHash } from 'node:crypto';
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
import { fileDigests, type FileDigests } from './hashes.ts';
import { SHA256_METADATA, type ObjectLock } from './lock.ts';
import { UNSIGNED_PAYLOAD, withPayloadSha256 } from './payload-sha256.ts';

/** Above this a file goes by multipart, in parts of this size (S3's limit: 10,000 parts). */
export const MULTIPART_THRESHOLD = 64 * 1024 * 1024;
export const PART_SIZE = 16 * 1024 * 1024;
const PART_CONCURRENCY = 4;

export interface PutInput {
  bucket: string;
  key: string;
  /** A file path, or the bytes themselves (sidecars, checkpoints, bundles). */
  body: string | Buffer;
  digests: FileDigests;
  contentType: string;
  lock: ObjectLock;
}

export interface PutResult {
  versionId: string | null;
  etag: string;
}

export interface PutFileInput {
  bucket: string;
  key: string;
  file: string;
  /**
   * The SHA-256 the bytes must have (the index's, for an archived recording): the store
   * refuses other bytes. Null: taken from the file here.
   */
  sha256: string | null;
  contentType: string;
  lock: ObjectLock;
}

export interface PutFileResult {
  versionId: string | null;
  sha256: string;
  size: number;
}

/**
 * Writes one object under Object Lock. Content-MD5 makes the store refuse damaged bytes, and
 * a single PUT is signed with the body's SHA-256 (x-amz-content-sha256), which the store
 * recomputes (Ceph Pacific ignores ChecksumSHA256, so the SHA-256 also travels in metadata,
 * where verify and resume read it back). Lock headers on CreateMultipartUpload are ignored by
 * Pacific: retention and legal hold are set after Complete, and Complete's empty ETag is
 * replaced by HeadObject's.
 */
export async function putLockedObject(s3: S3Client, input: PutInput): Promise<PutResult> {
  if (input.digests.size > MULTIPART_THRESHOLD && typeof input.body === 'string') {
    const done = await putMultipart(
      s3,
      input,
      input.body,
      input.digests.size,
      input.digests.sha256,
    );
    return { versionId: done.versionId, etag: done.etag };
  }
  // The caller's digests travel as they are: the store, not this process, compares them
  // with the bytes it receives (BadDigest, XAmzContentSHA256Mismatch).
  const bytes =
    typeof input.body === 'string' ? await fs.promises.readFile(input.body) : input.body;
  return putBytes(s3, input, bytes, input.digests.md5Base64, input.digests.sha256);
}

/**
 * An archived file to the vault in one read: its bytes are read once, their MD5 taken, and
 * they are sent signed with the SHA-256 the index holds, so the store itself refuses them if
 * the file no longer has that SHA-256 (no second read to hash them here first). A large file
 * goes by multipart, hashed in order as its parts are read, and is completed only when the
 * whole file's SHA-256 is the one expected. The queue still HEADs after either.
 */
export async function putLockedFile(s3: S3Client, input: PutFileInput): Promise<PutFileResult> {
  const { size } = await fs.promises.stat(input.file);
  if (size > MULTIPART_THRESHOLD) {
    const sha256 = input.sha256 ?? (await fileDigests(input.file)).sha256;
    const done = await putMultipart(s3, input, input.file, size, sha256);
    return { versionId: done.versionId, sha256, size: done.size };
  }
  const bytes = await fs.promises.readFile(input.file);
  const md5 = createHash('md5').update(bytes).digest('base64');
  const sha256 = input.sha256 ?? createHash('sha256').update(bytes).digest('hex');
  const put = await putBytes(s3, input, bytes, md5, sha256);
  return { versionId: put.versionId, sha256, size: bytes.length };
}

async function putBytes(
  s3: S3Client,
  input: Pick<PutInput, 'bucket' | 'key' | 'contentType' | 'lock'>,
  bytes: Buffer,
  md5Base64: string,
  sha256: string,
): Promise<PutResult> {
  const put = await s3.send(
    withPayloadSha256(
      new PutObjectCommand({
        Bucket: input.bucket,
        Key: input.key,
        Body: bytes,
        ContentLength: bytes.length,
        ContentMD5: md5Base64,
        ContentType: input.contentType,
        Metadata: { [SHA256_METADATA]: sha256 },
        ObjectLockMode: input.lock.mode,
        ObjectLockRetainUntilDate: input.lock.retainUntil,
        ObjectLockLegalHoldStatus: input.lock.legalHold ? 'ON' : 'OFF',
      }),
      sha256,
    ),
  );
  return { versionId: put.VersionId ?? null, etag: put.ETag ?? '' };
}

async function putMultipart(
  s3: S3Client,
  input: Pick<PutInput, 'bucket' | 'key' | 'contentType' | 'lock'>,
  file: string,
  size: number,
  sha256: string,
): Promise<PutResult & { size: number }> {
  const { bucket, key } = input;
  const created = await s3.send(
    new CreateMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      ContentType: input.contentType,
      Metadata: { [SHA256_METADATA]: sha256 },
    }),
  );
  const uploadId = created.UploadId!;
  const count = Math.ceil(size / PART_SIZE);
  const parts: { PartNumber: number; ETag: string }[] = new Array(count);
  const handle = await fs.promises.open(file, 'r');
  // Parts are read one after another, in order, into the whole file's SHA-256, and uploaded
  // PART_CONCURRENCY at a time: one read of the file, no pass before the upload.
  const whole = createHash('sha256');
  let reading: Promise<unknown> = Promise.resolve();
  const readPart = (index: number): Promise<Buffer> => {
    const read = reading.then(async () => {
      const length = Math.min(PART_SIZE, size - index * PART_SIZE);
      const bytes = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(bytes, 0, length, index * PART_SIZE);
      if (bytesRead !== length) throw new Error(`${file} became shorter while it was sent.`);
      whole.update(bytes);
      return bytes;
    });
    reading = read.catch(() => undefined);
    return read;
  };
  try {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const index = next++;
        const bytes = await readPart(index);
        const part = await s3.send(
          withPayloadSha256(
            new UploadPartCommand({
              Bucket: bucket,
              Key: key,
              UploadId: uploadId,
              PartNumber: index + 1,
              Body: bytes,
              ContentLength: bytes.length,
              ContentMD5: createHash('md5').update(bytes).digest('base64'),
            }),
            UNSIGNED_PAYLOAD,
          ),
        );
        parts[index] = { PartNumber: index + 1, ETag: part.ETag! };
      }
    };
    await Promise.all(Array.from({ length: Math.min(PART_CONCURRENCY, count) }, worker));
    const read = whole.digest('hex');
    if (read !== sha256) {
      throw new Error(
        `${file} does not have the SHA-256 it should (${read.slice(0, 12)}…, expected ${sha256.slice(0, 12)}…); the upload was abandoned.`,
      );
    }
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
    if (head.Metadata?.[SHA256_METADATA] !== sha256 || head.ContentLength !== size) {
      throw new Error(`The vault does not hold ${key} as written (HEAD after Complete).`);
    }
    return { versionId: versionId ?? head.VersionId ?? null, etag: head.ETag ?? '', size };
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
