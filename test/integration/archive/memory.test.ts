// Constant memory: a 512 MiB recording generated on the fly, served over real HTTP.
import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { downloadToArchive } from '../../../main/core/archive/download.ts';
import { httpOpen } from '../../support/remote-file.ts';
import { removeDir, makeTempDir } from '../../support/tmp.ts';

const MIB = 1024 * 1024;

function makeBlock(): Buffer {
  const block = Buffer.alloc(MIB);
  for (let i = 0; i < MIB; i++) block[i] = (i * 31 + (i >> 11)) & 0xff;
  return block;
}

const SERVER_SOURCE = `
const http = require('node:http');
const MIB = 1024 * 1024;
const count = Number(process.argv[1]);
const block = Buffer.alloc(MIB);
for (let i = 0; i < MIB; i++) block[i] = (i * 31 + (i >> 11)) & 0xff;
const server = http.createServer(async (req, res) => {
  res.writeHead(200, { 'Content-Length': String(count * MIB), ETag: '"big"', 'Content-Type': 'audio/wav' });
  for (let i = 0; i < count; i++) {
    if (!res.write(block)) await new Promise((r) => res.once('drain', r));
  }
  res.end();
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;
const TOTAL_MIB = 512;

let base: string;
beforeEach(async () => {
  base = await makeTempDir('archive');
});
afterEach(async () => removeDir(base));

it(`downloads ${TOTAL_MIB} MiB with flat memory`, { timeout: 180_000 }, async () => {
  // The server runs in a child process so only the downloader's memory is measured here.
  const block = makeBlock();
  const expected = createHash('sha256');
  for (let i = 0; i < TOTAL_MIB; i++) expected.update(block);
  const total = TOTAL_MIB * MIB;
  const child = spawn(process.execPath, ['-e', SERVER_SOURCE, String(TOTAL_MIB)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
  });
  const url = `http://127.0.0.1:${port}/big`;
  const root = path.join(base, 'archive');
  await mkdir(root);

  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  const baselineHeap = process.memoryUsage().heapUsed;
  let peak = baseline;
  let peakHeap = baselineHeap;
  const trace: string[] = [];
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    if (process.env.ARCHIVE_MEM_TRACE)
      trace.push(
        `${((m.rss - baseline) / 1e6).toFixed(0)}/${(m.heapUsed / 1e6).toFixed(0)}/${(m.external / 1e6).toFixed(0)}/${(m.arrayBuffers / 1e6).toFixed(0)}`,
      );
  }, 100);
  const started = performance.now();
  try {
    const result = await downloadToArchive({
      open: httpOpen(url),
      expectedSize: total,
      archiveRoot: root,
      relativePath: 'kallglot/a/2024/01/01/big.wav',
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage().rss);
      },
    });
    expect(result.size).toBe(total);
    expect(result.sha256).toBe(expected.digest('hex'));
    expect((await stat(path.join(root, result.relativePath))).size).toBe(total);
  } finally {
    clearInterval(sampler);
    child.kill();
  }
  if (trace.length > 0) console.log(trace.join(' '));
  const growthMb = (peak - baseline) / 1e6;
  const heapGrowthMb = (peakHeap - baselineHeap) / 1e6;
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `[archive memory] ${TOTAL_MIB} MiB in ${seconds.toFixed(1)} s; RSS baseline ${(baseline / 1e6).toFixed(1)} MB, peak ${(peak / 1e6).toFixed(1)} MB, growth ${growthMb.toFixed(1)} MB; JS heap growth ${heapGrowthMb.toFixed(1)} MB`,
  );
  // Buffering the file would cost >= 512 MB. What remains is V8 letting freed socket Buffers
  // pile up to its ~64 MB external-memory GC trigger (set ARCHIVE_MEM_TRACE=1 to see
  // arrayBuffers oscillate while the JS heap stays flat), so the RSS bound has headroom above it.
  expect(heapGrowthMb).toBeLessThan(32);
  expect(growthMb).toBeLessThan(96);
});
