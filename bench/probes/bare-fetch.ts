// The bare script beside the archive probes: GET each URL, SHA-256 while receiving, write the
// file, fdatasync it; N at once. Nothing else (no API, index, sidecar or audit).
// Usage: node bench/probes/bare-fetch.ts URL_FILE OUT_DIR N
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const [urlFile, outDir, n] = process.argv.slice(2);
const urls = fs.readFileSync(urlFile!, 'utf8').split('\n').filter(Boolean);
let next = 0;
async function one(url: string, file: string): Promise<void> {
  const fd = fs.openSync(file, 'w');
  const hash = createHash('sha256');
  let pos = 0;
  await new Promise<void>((resolve, reject) => {
    http
      .get(url, (res) => {
        res.on('data', (chunk: Buffer) => {
          hash.update(chunk);
          pos += fs.writeSync(fd, chunk, 0, chunk.length, pos);
        });
        res.on('end', resolve).on('error', reject);
      })
      .on('error', reject);
  });
  await new Promise<void>((resolve, reject) =>
    fs.fdatasync(fd, (e) => (e ? reject(e) : resolve())),
  );
  fs.closeSync(fd);
  hash.digest('hex');
}
async function worker(): Promise<void> {
  while (next < urls.length) {
    const i = next++;
    await one(urls[i]!, path.join(outDir!, `f${i}`));
  }
}
await Promise.all(Array.from({ length: Number(n) }, worker));
