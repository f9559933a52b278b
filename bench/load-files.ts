// Bench: a production's load files for 1,000 recordings. Times writeProduction end to end on
// 1,000 produced files (MD5 and SHA-256 of each re-read, the rows, loadfile.dat, loadfile.xml
// and metadata.csv built and written), and the load files alone from rows already made.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseExportOptions } from '../main/core/contract/export-options.ts';
import type { ExportedFile } from '../main/core/convert/manifest.ts';
import type { Recording } from '../main/core/db/recording-row.ts';
import {
  productionFiles,
  productionRows,
  writeProduction,
} from '../main/core/export/production/write-production.ts';
import { defineBench } from './lib/bench.ts';
import { runStandalone } from './lib/standalone.ts';
import { formatMs } from './lib/util.ts';

const COUNT = 1000;
const FILE_BYTES = 32 * 1024;
const TARGET_MS = 1000;

export const { id, run } = defineBench(
  { id: 'load-files', title: `Production load files for ${COUNT} recordings` },
  async (work) => {
    const folder = path.join(work, 'data');
    fs.mkdirSync(folder);
    const outputs: ExportedFile[] = [];
    const recordings = new Map<string, Recording>();
    const holds = new Map<number, string[]>();
    for (let i = 0; i < COUNT; i++) {
      const name = `envoy_Trading_2026-03-02_0915_call_${String(i).padStart(5, '0')}_mixed.mp3`;
      const bytes = Buffer.alloc(FILE_BYTES, i % 251);
      fs.writeFileSync(path.join(folder, name), bytes);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const recordedAt = new Date(Date.UTC(2026, 2, 2, 9, 15) + i * 60_000).toISOString();
      outputs.push({
        outputName: name,
        outputSha256: sha256,
        outputBytes: FILE_BYTES,
        outputDurationSec: 61.25,
        recordingId: String(i + 1),
        provider: 'envoy',
        accountName: 'Trading',
        sessionId: null,
        callId: `call_${i}`,
        remoteId: `call_${i}`,
        channel: 'mixed',
        recordedAt,
        sourceSha256: sha256,
        sourceBytes: FILE_BYTES,
        sourceDurationSec: 61.25,
        settings: {} as ExportedFile['settings'],
      });
      recordings.set(String(i + 1), {
        userId: null,
        phoneNumbers: ['+15551230001', '+15559870002'],
        raw: { call: { from_number: '+15551230001', to_number: '+15559870002' } },
        tags: ['complaint', 'priority'],
        notes: 'Escalated.\nCall back on Monday.',
      } as unknown as Recording);
      if (i % 10 === 0) holds.set(i + 1, ['Matter 2026-17']);
    }
    const options = parseExportOptions({
      format: 'mp3',
      package: 'bag',
      profile: 'sec-audio',
      loadFiles: ['dat', 'edrm'],
      timeZone: 'America/New_York',
    });

    const started = performance.now();
    const details = await writeProduction({
      folder,
      outputs,
      recordings,
      holds,
      options,
      batchName: 'REC bench',
    });
    const endToEndMs = performance.now() - started;

    const md5s = new Map(outputs.map((o) => [o.outputName, '0'.repeat(32)]));
    const pureStart = performance.now();
    const rows = productionRows({ outputs, recordings, holds, md5s, options });
    const files = productionFiles(rows, options, 'REC bench');
    const pureMs = performance.now() - pureStart;
    const sizes = details.files.map((f) => `${f.name} ${(f.bytes / 1024).toFixed(0)} KiB`);
    return {
      metrics: [
        {
          name: 'writeProduction (hash 1,000 files + 3 load files)',
          recvault: formatMs(endToEndMs),
          target: `< ${formatMs(TARGET_MS)}`,
          met: endToEndMs < TARGET_MS,
        },
        {
          name: 'load files from rows (DAT + EDRM XML + CSV, in memory)',
          recvault: formatMs(pureMs),
          target: `< ${formatMs(TARGET_MS)}`,
          met: pureMs < TARGET_MS,
        },
      ],
      notes: [
        `${COUNT} produced files of ${FILE_BYTES / 1024} KiB (MD5 and SHA-256 re-read from disk, as a production does); ` +
          `options: sec-audio, DAT (UTF-8) and EDRM XML, America/New_York; every tenth recording on a hold.`,
        `Written: ${sizes.join(', ')} (${files.size} files).`,
      ],
    };
  },
);

if (import.meta.main) await runStandalone(run);
