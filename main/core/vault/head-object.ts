import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SHA256_METADATA } from './lock.ts';

/** What the store holds under a key (its current version), or null when nothing. */
export interface StoredObject {
  sha256: string | null;
  size: number;
  versionId: string | null;
  lockMode: string | null;
  retainUntil: Date | null;
  legalHold: boolean;
}

export async function headObject(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<StoredObject | null> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return {
      sha256: head.Metadata?.[SHA256_METADATA] ?? null,
      size: head.ContentLength ?? 0,
      versionId: head.VersionId ?? null,
      lockMode: head.ObjectLockMode ?? null,
      retainUntil: head.ObjectLockRetainUntilDate ?? null,
      legalHold: head.ObjectLockLegalHoldStatus === 'ON',
    };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

export function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}
