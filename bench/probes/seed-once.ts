// Seeds an index file once (for probing queries against it): node bench/probes/seed-once.ts FILE ROWS
import { seedIndex } from '../lib/seed-index.ts';

const [file, rows] = process.argv.slice(2);
const seeded = seedIndex(file!, Number(rows));
process.stdout.write(`${rows} rows in ${seeded.ms.toFixed(0)} ms\n`);
