import http from 'node:http';
import https from 'node:https';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/** Where a vault is and how it is reached; the keys are resolved from their references. */
export interface VaultEndpoint {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const MAX_SOCKETS = 32;

/**
 * An S3 client for stores that lag AWS (Ceph Pacific, older MinIO): the SDK's default
 * flexible-checksum mode sends streamed PUTs without a length (411 on Pacific) and validates
 * response checksums the store never sends, so checksums are used only where an operation
 * requires them; Content-MD5 and our own SHA-256 carry integrity instead. Path-style, because
 * a local or on-premises endpoint has no wildcard DNS for bucket subdomains.
 *
 * No `Expect: 100-continue`: the SDK sends it on every body of 2 MiB or more, and for such a
 * request its HTTP handler opens a fresh connection without keep-alive (a TCP handshake and a
 * round trip before the first byte, per 3 MB recording); a refused PUT costs us one body, not
 * a connection per object. Kept-alive sockets, enough for the queue's and multipart's workers.
 */
export function makeS3Client(target: VaultEndpoint): S3Client {
  const config: S3ClientConfig = {
    endpoint: target.endpoint,
    region: target.region,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    expectContinueHeader: false,
    requestHandler: {
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
    },
  };
  return new S3Client(config);
}
