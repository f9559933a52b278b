// Writes a production's load files (DAT, EDRM XML) and, for the sec-audio profile, the
// regulator's metadata.csv into the folder that holds the produced files (a bag's data/, so
// the bag's manifest covers them). Refuses to replace a file; returns what the audit records.
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../app-error.ts';
import type { ExportOptions } from '../../contract/export-options.ts';
import type { ProductionDetails } from '../../contract/production.ts';
import type { ExportedFile } from '../../convert/manifest.ts';
import type { Recording } from '../../db/recording-row.ts';
import { controlNumber, productionOrder } from './control-numbers.ts';
import { DAT_FILE, datBytes } from './dat-file.ts';
import { EDRM_FILE, edrmXml } from './edrm-xml.ts';
import { fileDigests } from './file-digests.ts';
import { productionRow, type ProductionRow } from './production-row.ts';
import { SEC_AUDIO_CSV, secAudioCsv } from './sec-audio-csv.ts';
import { createHash } from 'node:crypto';

/** Names a production adds, for checking a destination is free before anything is written. */
export function productionFileNames(options: ExportOptions): string[] {
  return [
    ...(options.loadFiles.includes('dat') ? [DAT_FILE] : []),
    ...(options.loadFiles.includes('edrm') ? [EDRM_FILE] : []),
    ...(options.profile === 'sec-audio' ? [SEC_AUDIO_CSV] : []),
  ];
}

export function isProduction(options: ExportOptions): boolean {
  return productionFileNames(options).length > 0;
}

export function productionRows(input: {
  outputs: readonly ExportedFile[];
  recordings: ReadonlyMap<string, Recording>;
  holds: ReadonlyMap<number, readonly string[]>;
  md5s: ReadonlyMap<string, string>;
  options: ExportOptions;
}): ProductionRow[] {
  const { options } = input;
  return productionOrder(input.outputs).map((file, i) =>
    productionRow({
      file,
      control: controlNumber(options.controlPrefix, options.controlStart + i),
      md5: input.md5s.get(file.outputName) ?? '',
      recording: input.recordings.get(file.recordingId),
      holds: input.holds.get(Number(file.recordingId)) ?? [],
      timeZone: options.timeZone,
    }),
  );
}

/** The load files' contents, by name (pure: the benchmark times this). */
export function productionFiles(
  rows: readonly ProductionRow[],
  options: ExportOptions,
  batchName: string,
): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  if (options.loadFiles.includes('dat')) files.set(DAT_FILE, datBytes(rows, options.datEncoding));
  if (options.loadFiles.includes('edrm'))
    files.set(EDRM_FILE, Buffer.from(edrmXml(rows, batchName), 'utf8'));
  if (options.profile === 'sec-audio') files.set(SEC_AUDIO_CSV, Buffer.from(secAudioCsv(rows)));
  return files;
}

export async function writeProduction(input: {
  folder: string;
  outputs: readonly ExportedFile[];
  recordings: ReadonlyMap<string, Recording>;
  holds: ReadonlyMap<number, readonly string[]>;
  options: ExportOptions;
  batchName: string;
  signal?: AbortSignal;
}): Promise<ProductionDetails> {
  const { folder, options, signal } = input;
  const md5s = new Map<string, string>();
  for (const file of input.outputs) {
    const digests = await fileDigests(path.join(folder, file.outputName), signal);
    if (digests.sha256 !== file.outputSha256) {
      throw new AppError(
        'conflict',
        `${file.outputName} changed after it was exported; the production was not finished.`,
      );
    }
    md5s.set(file.outputName, digests.md5);
  }
  const rows = productionRows({ ...input, md5s });
  const files: ProductionDetails['files'] = [];
  for (const [name, bytes] of productionFiles(rows, options, input.batchName)) {
    await fs.writeFile(path.join(folder, name), bytes, { flag: 'wx' });
    files.push({
      name,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
    });
  }
  return {
    controlPrefix: options.controlPrefix,
    firstControl: rows[0]?.control ?? '',
    lastControl: rows.at(-1)?.control ?? '',
    controls: Object.fromEntries(rows.map((r) => [r.control, r.fileName])),
    files,
    heldRecordings: new Set(rows.filter((r) => r.legalHolds.length > 0).map((r) => r.indexId)).size,
  };
}
