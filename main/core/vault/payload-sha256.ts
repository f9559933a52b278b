import type { PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';

const HEADER = 'x-amz-content-sha256';

/** The header's value for a part protected by its Content-MD5 instead (no SHA-256 pass). */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/**
 * Sets the payload's SHA-256 the request is signed with (SigV4's x-amz-content-sha256) to
 * one we already know: the SDK then does not hash the body again, and the store (Ceph RGW
 * included) recomputes it from the bytes it receives and refuses the request on a mismatch
 * (XAmzContentSHA256Mismatch): the SHA-256 in the object's metadata is then checked by the
 * store itself, not only claimed.
 */
export function withPayloadSha256<C extends PutObjectCommand | UploadPartCommand>(
  command: C,
  sha256: string,
): C {
  (command as PutObjectCommand).middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers[HEADER] = sha256;
      return next(args);
    },
    { step: 'build', name: 'knownPayloadSha256' },
  );
  return command;
}

/** The store's refusal of a body whose SHA-256 is not the one the request named. */
export function isPayloadShaMismatch(error: unknown): boolean {
  return (error as { name?: string; Code?: string })?.name === 'XAmzContentSHA256Mismatch';
}
