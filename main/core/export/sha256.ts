// Streaming SHA-256 of files, and a byte copy that hashes what it writes on the way.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash, { signal });
  return hash.digest('hex');
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
