// A second (third, …) process for the archiver-lock tests: waits for the start signal (a file),
// tries the archiver lock once, prints what happened as JSON, holds a won lock for `holdMs`.
// Plain `node` (type stripping).
import fs from 'node:fs';
import { ArchiverLock } from '../../main/core/sync/archiver-lock.ts';

const [dataDir, startSignal, holdMs] = process.argv.slice(2) as [string, string, string];
process.stdout.write('ready\n');
while (!fs.existsSync(startSignal)) await new Promise((resolve) => setTimeout(resolve, 2));
const lock = new ArchiverLock(dataDir);
let held = false;
try {
  held = lock.tryAcquire() === null;
} catch (error) {
  process.stdout.write(JSON.stringify({ pid: process.pid, error: String(error) }) + '\n');
}
process.stdout.write(JSON.stringify({ pid: process.pid, held }) + '\n');
if (held) setTimeout(() => lock.release(), Number(holdMs));
