// Exports a batch of archived recordings to a folder or a .zip: probes, plans and names every
// output, converts them in parallel, then writes manifest.csv, manifest.json and SHA256SUMS.
// One failed file does not stop the batch; cancelling removes everything the export wrote.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { FfmpegTools } from '../ffmpeg/locate.ts';
import { locateFfmpegTools } from '../ffmpeg/locate.ts';
import { probeMedia, type MediaInfo } from '../ffmpeg/probe.ts';
import { ffmpegVersion } from '../ffmpeg/version.ts';
import { readWavInfo } from '../ffmpeg/wav-info.ts';
import type { DestinationSpec, ExportDestination } from './destination.ts';
import { exportOne, sourceDurationMeter, sourceVerifier } from './export-one.ts';
import { failureReason } from './failure-reason.ts';
import { FolderDestination } from './folder-destination.ts';
import {
  CHECKSUMS_FILE,
  MANIFEST_CSV,
  MANIFEST_JSON,
  manifestCsv,
  manifestJson,
  sha256Sums,
  type ExportedFile,
  type ExportFailure,
} from './manifest.ts';
import {
  parseExportOptions,
  type ExportOptions,
  type ExportOptionsInput,
} from '../contract/export-options.ts';
import type { ProductionDetails } from '../contract/production.ts';
import { planFiles, sortSources } from './output-names.ts';
import type { PlannedOutput } from './plan.ts';
import { BatchProgress, type ExportPhase, type ExportProgressEvent } from './progress.ts';
import { sha256Text } from './sha256-text.ts';
import type { ExportSource } from './source.ts';
import { Slots, runPool } from './worker-pool.ts';
import { ZipDestination } from './zip-destination.ts';

export interface ExportRequest {
  sources: readonly ExportSource[];
  /** Validated here with the contract's exportOptionsSchema. */
  options: ExportOptionsInput;
  destination: DestinationSpec;
  /** Parallel ffmpeg processes; default os.availableParallelism(). */
  concurrency?: number;
  /** Default: located with locateFfmpegTools(). */
  tools?: FfmpegTools;
  signal?: AbortSignal;
  onProgress?: (event: ExportProgressEvent) => void;
  /** Clock, for tests. */
  now?: () => Date;
}

/** What the engine needs for its audit entry and for the user. */
export interface ExportSummary {
  exportId: string;
  destination: DestinationSpec;
  startedAt: string;
  finishedAt: string;
  options: ExportOptions;
  ffmpegVersion: string | null;
  outputs: ExportedFile[];
  failures: ExportFailure[];
  /** Folder export: absolute path of manifest.json. Zip export: the zip (manifest.json is at its root). */
  manifestPath: string;
  /** Names of the manifest files, relative to the folder / zip root. */
  manifestFiles: { csv: string; json: string; checksums: string };
  /** SHA-256 of manifest.json: recording it in the audit log makes the export tamper-evident. */
  manifestSha256: string;
  /** SHA-256 of the .zip, for zip exports. */
  zipSha256: string | null;
  /** A production's control numbers and load files (core/export/production), when asked for. */
  production?: ProductionDetails;
  totals: {
    sources: number;
    outputs: number;
    failures: number;
    sourceBytes: number;
    outputBytes: number;
  };
}

interface Task {
  plan: PlannedOutput;
  name: string;
}

export async function runExport(request: ExportRequest): Promise<ExportSummary> {
  const { signal } = request;
  const now = request.now ?? (() => new Date());
  const startedAt = now();
  const options = parseExportOptions(request.options);
  const tools = request.tools ?? locateFfmpegTools();
  const concurrency = request.concurrency ?? os.availableParallelism();
  const emit = (event: ExportProgressEvent): void => request.onProgress?.(event);
  signal?.throwIfAborted();

  // Plan: probe every source (a failed probe falls back to the index's metadata, so ffmpeg
  // itself gets to say what is wrong with a damaged file). A plain PCM WAV is read from its
  // header, which gives exactly what ffprobe would without starting a process per file.
  const sources = sortSources(request.sources);
  // Asked while the batch runs rather than after it (it never rejects: null on failure).
  const version = ffmpegVersion(tools.ffmpeg);
  emitBatch(emit, 'probing', null, 0);
  const infos: (MediaInfo | null)[] = sources.map(() => null);
  await runPool(
    sources,
    concurrency,
    async (source, i) => {
      infos[i] =
        (await readWavInfo(source.absolutePath)) ??
        (await probeMedia(source.absolutePath, {
          ffprobePath: tools.ffprobe,
          signal,
        }).catch(() => {
          signal?.throwIfAborted();
          return null;
        }));
    },
    signal,
  );
  const { plans, names } = planFiles(sources, options, infos);
  const tasks: Task[] = plans.map((plan, i) => ({ plan, name: names[i]! }));

  const destination = createDestination(request.destination, startedAt);
  await destination.stage([...names, MANIFEST_CSV, MANIFEST_JSON, CHECKSUMS_FILE]);
  try {
    const progress = new BatchProgress(tasks.map((t) => t.plan.sourceDurationSec));
    const results: (ExportedFile | null)[] = tasks.map(() => null);
    const failures: (ExportFailure | null)[] = tasks.map(() => null);
    const verifySource = sourceVerifier(signal);
    const sourceDuration = sourceDurationMeter(tools.ffmpeg, signal);
    // `concurrency` ffmpeg processes at a time, and one more file in flight per process: while
    // a finished file is hashed and published, the next conversion already has its slot.
    const ffmpegSlots = new Slots(concurrency);
    emitBatch(emit, 'converting', progress);

    await runPool(
      tasks,
      concurrency * 2,
      async ({ plan, name }, index) => {
        const fileEvent = (
          state: 'started' | 'progress' | 'done' | 'failed',
          fraction: number,
          reason?: string,
        ): void =>
          emit({
            type: 'file',
            index,
            recordingId: plan.source.recordingId,
            outputName: name,
            state,
            fraction,
            ...(reason === undefined ? {} : { reason }),
          });
        fileEvent('started', 0);
        try {
          results[index] = await exportOne(plan, name, {
            tools,
            destination,
            verifySource,
            sourceDuration,
            ffmpegSlot: (run, slotSignal) => ffmpegSlots.run(run, slotSignal),
            signal,
            onFraction: (fraction) => {
              progress.set(index, fraction);
              fileEvent('progress', fraction);
              emitBatch(emit, 'converting', progress);
            },
          });
          progress.completed++;
          fileEvent('done', 1);
        } catch (error) {
          signal?.throwIfAborted();
          const reason = failureReason(error);
          failures[index] = {
            recordingId: plan.source.recordingId,
            outputName: name,
            channel: plan.channel,
            reason,
          };
          progress.failed++;
          // A failed file counts as finished for the batch's fraction.
          progress.set(index, 1);
          fileEvent('failed', 0, reason);
        }
        emitBatch(emit, 'converting', progress);
      },
      signal,
    );

    emitBatch(emit, 'finalizing', progress);
    const outputs = results.filter((r): r is ExportedFile => r !== null);
    const failed = failures.filter((f): f is ExportFailure => f !== null);
    const header = {
      exportId: randomUUID(),
      createdAt: startedAt.toISOString(),
      ffmpegVersion: await version,
      options,
    };
    const csv = manifestCsv(outputs);
    const json = manifestJson(header, outputs, failed);
    const sums = sha256Sums([
      ...outputs.map((o) => ({ name: o.outputName, sha256: o.outputSha256 })),
      { name: MANIFEST_CSV, sha256: sha256Text(csv) },
      { name: MANIFEST_JSON, sha256: sha256Text(json) },
    ]);
    await destination.writeTextFile(MANIFEST_CSV, csv);
    await destination.writeTextFile(MANIFEST_JSON, json);
    await destination.writeTextFile(CHECKSUMS_FILE, sums);
    signal?.throwIfAborted();
    const { zipSha256 } = await destination.finish(
      [...outputs.map((o) => o.outputName), MANIFEST_CSV, MANIFEST_JSON, CHECKSUMS_FILE],
      signal,
    );
    emitBatch(emit, 'done', progress);

    return {
      exportId: header.exportId,
      destination: { kind: request.destination.kind, path: destination.path },
      startedAt: header.createdAt,
      finishedAt: now().toISOString(),
      options,
      ffmpegVersion: header.ffmpegVersion,
      outputs,
      failures: failed,
      manifestPath:
        destination.kind === 'folder'
          ? path.join(destination.path, MANIFEST_JSON)
          : destination.path,
      manifestFiles: { csv: MANIFEST_CSV, json: MANIFEST_JSON, checksums: CHECKSUMS_FILE },
      manifestSha256: sha256Text(json),
      zipSha256,
      totals: {
        sources: sources.length,
        outputs: outputs.length,
        failures: failed.length,
        sourceBytes: sumUnique(outputs),
        outputBytes: outputs.reduce((sum, o) => sum + o.outputBytes, 0),
      },
    };
  } catch (error) {
    await destination.abort();
    throw error;
  }
}

function createDestination(spec: DestinationSpec, mtime: Date): ExportDestination {
  return spec.kind === 'zip'
    ? new ZipDestination(spec.path, mtime)
    : new FolderDestination(spec.path);
}

function emitBatch(
  emit: (event: ExportProgressEvent) => void,
  phase: ExportPhase,
  progress: BatchProgress | null,
  fraction?: number,
): void {
  emit({
    type: 'batch',
    phase,
    completed: progress?.completed ?? 0,
    failed: progress?.failed ?? 0,
    total: progress?.total ?? 0,
    fraction: fraction ?? progress?.fraction() ?? 0,
  });
}

/** Source bytes counted once per recording, even when a split made two outputs from it. */
function sumUnique(outputs: readonly ExportedFile[]): number {
  const seen = new Map<string, number>();
  for (const o of outputs) seen.set(o.recordingId, o.sourceBytes);
  return [...seen.values()].reduce((a, b) => a + b, 0);
}
