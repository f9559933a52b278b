// The SHA-256 and size of every file in a zip, read as a stream (nothing unpacked to disk),
// and the text of the few small entries asked for (the manifests).
import { createHash } from 'node:crypto';
import yauzl from 'yauzl';

export interface ZipContents {
  hashes: Map<string, { sha256: string; bytes: number }>;
  texts: Map<string, string>;
}

export function zipEntryHashes(
  zipPath: string,
  keepText: readonly string[] = [],
): Promise<ZipContents> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, strictFileNames: true }, (openError, zip) => {
      if (openError || !zip) {
        reject(new Error(`${zipPath} is not a readable zip: ${openError?.message ?? ''}`));
        return;
      }
      const found: ZipContents = { hashes: new Map(), texts: new Map() };
      zip.on('error', reject);
      zip.on('end', () => resolve(found));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) {
            reject(streamError ?? new Error(`${zipPath}: unreadable entry ${entry.fileName}`));
            return;
          }
          const hash = createHash('sha256');
          let bytes = 0;
          const chunks: Buffer[] | null = keepText.includes(entry.fileName) ? [] : null;
          stream.on('data', (chunk: Buffer) => {
            hash.update(chunk);
            bytes += chunk.length;
            chunks?.push(chunk);
          });
          stream.on('error', reject);
          stream.on('end', () => {
            found.hashes.set(entry.fileName, { sha256: hash.digest('hex'), bytes });
            if (chunks) found.texts.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
