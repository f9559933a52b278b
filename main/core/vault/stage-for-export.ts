import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ExportSource } from '../convert/source.ts';
import type { Recording } from '../db/recording-row.ts';
import { PRIVATE_DIR_MODE } from '../file-modes.ts';
import { writeObjectToFile } from './offline-copy.ts';
import type { VaultReader } from './read-object.ts';

export interface StagedSources {
  sources: ExportSource[];
  /** Deletes the staged copies (never throws). */
  release(): Promise<void>;
}

/** Objects read from the vault at once: the store serves them in parallel, the disk takes them. */
const STAGING_STREAMS = 4;

/**
 * The sources of an export whose archive has no local copy (an officer who attached the team
 * vault), each read from its vault object into a private staging folder, streamed and hashed
 * against the index on the way: the export then reads them as it reads archived files, so its
 * manifest, SHA256SUMS, bag and production are the same as from a local copy. An object whose
 * bytes are not the index's fails the export, naming the recording. Sources with a local file,
 * or no vault object, are left as they are.
 */
export async function stageVaultSources(
  deps: {
    reader: VaultReader;
    recording: (id: number) => Recording;
    /** Where staging folders go (the data directory's cache, never the export's destination). */
    stagingRoot: string;
  },
  sources: readonly ExportSource[],
  signal?: AbortSignal,
): Promise<StagedSources> {
  const folder = path.join(deps.stagingRoot, `export-${randomBytes(6).toString('hex')}`);
  const release = () => fs.promises.rm(folder, { recursive: true, force: true }).catch(() => {});
  const staged = [...sources];
  const wanted = staged
    .map((source, index) => ({ source, index }))
    .filter(({ source }) => !fs.existsSync(source.absolutePath))
    .map(({ source, index }) => ({
      index,
      source,
      object: deps.reader.locate(deps.recording(Number(source.recordingId))),
    }))
    .filter((entry) => entry.object !== null);
  if (wanted.length === 0) return { sources: staged, release: async () => {} };
  try {
    await fs.promises.mkdir(folder, { recursive: true, mode: PRIVATE_DIR_MODE });
    let next = 0;
    const worker = async () => {
      while (next < wanted.length) {
        const { index, source, object } = wanted[next++]!;
        signal?.throwIfAborted();
        // The archive file's own name: the export takes its extension and nothing else from it.
        const dir = path.join(folder, source.recordingId);
        await fs.promises.mkdir(dir, { mode: PRIVATE_DIR_MODE });
        const file = path.join(dir, path.basename(source.absolutePath));
        await writeObjectToFile(deps.reader, object!, file, {
          durable: false,
          ...(signal ? { signal } : {}),
        });
        staged[index] = { ...source, absolutePath: file };
      }
    };
    await Promise.all(Array.from({ length: Math.min(STAGING_STREAMS, wanted.length) }, worker));
  } catch (error) {
    await release();
    throw error;
  }
  return { sources: staged, release };
}
