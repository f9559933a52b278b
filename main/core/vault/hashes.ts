import { createHash } from 'node:crypto';
import fs from 'node:fs';

export interface FileDigests {
  sha256: string;
  /** Base64, as Content-MD5 wants it. */
  md5Base64: string;
  size: number;
}

/** SHA-256 (hex) and MD5 (base64) of a file in one read. */
export async function fileDigests(file: string): Promise<FileDigests> {
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  let size = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buffer = chunk as Buffer;
    sha.update(buffer);
    md5.update(buffer);
    size += buffer.length;
  }
  return { sha256: sha.digest('hex'), md5Base64: md5.digest('base64'), size };
}

export function bufferDigests(bytes: Buffer): FileDigests {
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    md5Base64: createHash('md5').update(bytes).digest('base64'),
    size: bytes.length,
  };
}
