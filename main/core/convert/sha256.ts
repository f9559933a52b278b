// Streaming SHA-256 of files, and a byte copy that hashes what it writes on the way.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Read size for hashing: a few large reads into one reused buffer, so no garbage per chunk. */
const HASH_READ_BYTES = 1024 * 1024;

export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  return (await sha256FileSized(file, signal)).sha256;
}

/** SHA-256 and size of the bytes read, in one pass. */
export async function sha256FileSized(
  file: string,
  signal?: AbortSignal,
): Promise<{ sha256: string; bytes: number }> {
  signal?.throwIfAborted();
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafeSlow(HASH_READ_BYTES);
  let bytes = 0;
  const handle = await open(file, 'r');
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      signal?.throwIfAborted();
      if (bytesRead === 0) break;
      // update() is done with the bytes when it returns, so the buffer can be read into again.
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Copies `from` to a new file `to` (fails if it exists) and returns the SHA-256 and size of
 * the bytes copied. `onBytes` reports progress.
 */
export async function copyFileHashing(
  from: string,
  to: string,
  options: { signal?: AbortSignal; onBytes?: (copied: number) => void } = {},
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      options.onBytes?.(bytes);
      callback(null, chunk);
    },
  });
  await pipeline(createReadStream(from), tap, createWriteStream(to, { flags: 'wx' }), {
    signal: options.signal,
  });
  return { sha256: hash.digest('hex'), bytes };
}
