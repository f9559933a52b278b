// Bare probe for issue 16's lever "SHA-256 off the receiving thread": writes 512 MiB in 256 KiB
// chunks to a file, hashing (a) on the main thread after each write, (b) in a worker fed
// transferred copies. Not part of `npm run bench`. Usage: node bench/probes/hash-off-thread.ts
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

const CHUNK = 256 * 1024;
const TOTAL = 512 * 1024 * 1024;
const pool = Array.from({ length: 16 }, () => randomBytes(CHUNK));
const file = path.join(os.tmpdir(), `hash-probe-${process.pid}`);
const workerSrc = `const { parentPort } = require('node:worker_threads');
const h = require('node:crypto').createHash('sha256');
parentPort.on('message', (m) => { if (m === 'end') parentPort.postMessage(h.digest('hex')); else h.update(new Uint8Array(m)); });`;

async function run(offThread: boolean): Promise<[number, string]> {
  const fh = await fs.open(file, 'w');
  const hash = createHash('sha256');
  const worker = offThread ? new Worker(workerSrc, { eval: true }) : null;
  const t0 = performance.now();
  for (let at = 0, i = 0; at < TOTAL; at += CHUNK, i++) {
    const chunk = pool[i % pool.length]!;
    await fh.write(chunk, 0, CHUNK, at);
    if (worker) {
      const copy = chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + CHUNK);
      worker.postMessage(copy, [copy]);
    } else hash.update(chunk);
  }
  await fh.datasync();
  const digest = worker
    ? await new Promise<string>((resolve) => {
        worker.once('message', resolve);
        worker.postMessage('end');
      })
    : hash.digest('hex');
  const ms = performance.now() - t0;
  await worker?.terminate();
  await fh.close();
  return [ms, digest];
}

const main = await run(false);
const off = await run(true);
await fs.rm(file, { force: true });
const rate = (ms: number) => `${(TOTAL / 1048576 / (ms / 1000)).toFixed(0)} MiB/s`;
console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${os.availableParallelism()} cores`,
);
console.log(
  `hash on main thread: ${rate(main[0])}; hash in a worker (transferred copies): ${rate(off[0])}; same digest: ${main[1] === off[1]}`,
);
