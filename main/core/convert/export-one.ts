// Produces one output file: checks the source against its archived checksum, copies or
// converts it into the staging area, hashes the result and measures its duration, then
// publishes it.
import fs from 'node:fs/promises';
import { decodedAudioDurationSec } from '../ffmpeg/decoded-duration.ts';
import { demuxerForMuxer } from '../ffmpeg/input.ts';
import { singleStreamSeconds } from '../ffmpeg/media-stats.ts';
import { runFfmpeg, type MediaStats } from '../ffmpeg/run.ts';
import type { FfmpegTools } from '../ffmpeg/locate.ts';
import type { ExportDestination } from './destination.ts';
import { buildConversionArgs } from './ffmpeg-args.ts';
import type { ExportedFile } from './manifest.ts';
import { EXACT_LENGTH_MUXERS } from './output-formats.ts';
import type { PlannedOutput } from './plan.ts';
import { copyFileHashing, sha256FileSized } from './sha256.ts';
import type { ExportSource } from './source.ts';

export class SourceChecksumError extends Error {
  override readonly name = 'SourceChecksumError';

  constructor(source: ExportSource, actual: string) {
    super(
      `Source file does not match the archive's checksum (archive ${source.sha256}, file ${actual}): ` +
        'it changed or is damaged; run a verification of the archive.',
    );
  }
}

export interface ExportOneContext {
  tools: FfmpegTools;
  destination: ExportDestination;
  /** Hashes a source once even when it gives two outputs (a split). */
  verifySource: (source: ExportSource) => Promise<{ sha256: string; bytes: number }>;
  /** Decoded duration of a source, measured once per source. */
  sourceDuration: (source: ExportSource) => Promise<number>;
  onFraction: (fraction: number) => void;
  /**
   * Runs one ffmpeg conversion when a process slot is free, so the batch keeps exactly as many
   * encoders busy as it has cores while the checks of finished files run in between.
   */
  ffmpegSlot?: <T>(run: () => Promise<T>, signal?: AbortSignal) => Promise<T>;
  signal?: AbortSignal;
}

export async function exportOne(
  plan: PlannedOutput,
  outputName: string,
  ctx: ExportOneContext,
): Promise<ExportedFile> {
  const temp = ctx.destination.tempPath();
  try {
    return await produce(plan, outputName, temp, ctx);
  } catch (error) {
    // A failed or cancelled file leaves nothing behind, not even in the staging area.
    await fs.rm(temp, { force: true });
    throw error;
  }
}

async function produce(
  plan: PlannedOutput,
  outputName: string,
  temp: string,
  ctx: ExportOneContext,
): Promise<ExportedFile> {
  const { source, recipe } = plan;
  let sourceFile: { sha256: string; bytes: number };
  let output: { sha256: string; bytes: number; durationSec: number | null };
  let sourceDurationSec = plan.sourceDurationSec;

  if (recipe.kind === 'copy') {
    const size = (await fs.stat(source.absolutePath)).size;
    // One read: the copy's hash is the source's hash, checked against the archive's.
    const copied = await copyFileHashing(source.absolutePath, temp, {
      signal: ctx.signal,
      onBytes: (n) => ctx.onFraction(size > 0 ? n / size : 1),
    });
    if (!sameHash(copied.sha256, source.sha256))
      throw new SourceChecksumError(source, copied.sha256);
    sourceFile = copied;
    output = { ...copied, durationSec: plan.sourceDurationSec };
  } else {
    const converted = await convertChecked(plan, recipe, temp, ctx);
    sourceFile = converted.sourceFile;
    output = converted.output;
    sourceDurationSec = converted.sourceDurationSec;
  }

  await ctx.destination.commitFile(temp, outputName);
  ctx.onFraction(1);
  return {
    outputName,
    outputSha256: output.sha256,
    outputBytes: output.bytes,
    outputDurationSec: output.durationSec,
    recordingId: source.recordingId,
    provider: source.provider,
    accountName: source.accountName,
    sessionId: source.sessionId,
    callId: source.callId,
    remoteId: source.remoteId,
    channel: plan.channel,
    recordedAt: source.recordedAt,
    sourceSha256: sourceFile.sha256,
    sourceBytes: sourceFile.bytes,
    sourceDurationSec,
    settings: plan.settings,
  };
}

/** A memoised verifier: reads each source once, rejects when it differs from the archive. */
export function sourceVerifier(
  signal?: AbortSignal,
): (source: ExportSource) => Promise<{ sha256: string; bytes: number }> {
  const cache = new Map<string, Promise<{ sha256: string; bytes: number }>>();
  return (source) => {
    let pending = cache.get(source.absolutePath);
    if (!pending) {
      pending = (async () => {
        const file = await sha256FileSized(source.absolutePath, signal);
        if (!sameHash(file.sha256, source.sha256))
          throw new SourceChecksumError(source, file.sha256);
        return file;
      })();
      cache.set(source.absolutePath, pending);
    }
    return pending;
  };
}

type FfmpegRecipe = Extract<PlannedOutput['recipe'], { kind: 'ffmpeg' }>;

/**
 * Converts with ffmpeg while the source's checksum is verified alongside (both read the same
 * bytes, which the first read leaves in the page cache). A mismatch kills ffmpeg and fails the
 * file; nothing is published before the check has passed. Durations come from ffmpeg's own
 * count of the samples it decoded and encoded, so neither file is decoded a second time.
 */
async function convertChecked(
  plan: PlannedOutput,
  recipe: FfmpegRecipe,
  temp: string,
  ctx: ExportOneContext,
): Promise<{
  sourceFile: { sha256: string; bytes: number };
  output: { sha256: string; bytes: number; durationSec: number | null };
  sourceDurationSec: number | null;
}> {
  const { source } = plan;
  const stop = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, stop.signal]) : stop.signal;
  const verified = ctx.verifySource(source).then(
    (file) => ({ file }),
    (error: unknown) => {
      stop.abort(error);
      return { error };
    },
  );
  const settled = async (): Promise<{ sha256: string; bytes: number }> => {
    const result = await verified;
    if ('error' in result) throw result.error;
    return result.file;
  };

  let stats: MediaStats | null;
  try {
    const run = () =>
      runFfmpeg(buildConversionArgs(recipe, source.absolutePath, temp), {
        ffmpegPath: ctx.tools.ffmpeg,
        totalDurationSec: plan.sourceDurationSec,
        onProgress: (p) => {
          if (p.fraction !== null) ctx.onFraction(p.fraction);
        },
        signal,
        mediaStats: true,
      });
    ({ mediaStats: stats } = await (ctx.ffmpegSlot ? ctx.ffmpegSlot(run, signal) : run()));
  } catch (error) {
    // A source that failed its check is the reason, whatever ffmpeg made of being stopped.
    await settled();
    throw error;
  }
  const sourceFile = await settled();

  // Exact from ffmpeg's count where the container plays exactly what was encoded; otherwise
  // (m4a/mp4 keep the encoder's last-frame padding, stream copies count no samples) decoded.
  const decodedSec = stats ? singleStreamSeconds(stats.decodedAudio) : null;
  const encodedSec =
    stats && EXACT_LENGTH_MUXERS.has(recipe.muxer) ? singleStreamSeconds(stats.encodedAudio) : null;
  const [hashed, durationSec, sourceDurationSec] = await Promise.all([
    sha256FileSized(temp, ctx.signal),
    encodedSec ??
      decodedAudioDurationSec(temp, {
        ffmpegPath: ctx.tools.ffmpeg,
        signal: ctx.signal,
        // The temporary name has no meaningful extension: read it as what was written.
        demuxer: demuxerForMuxer(recipe.muxer),
      }),
    decodedSec ?? ctx.sourceDuration(source),
  ]);
  return { sourceFile, output: { ...hashed, durationSec }, sourceDurationSec };
}

function sameHash(a: string, b: string): boolean {
  return a.toLowerCase() === b.trim().toLowerCase();
}

/** A memoised measure of each source's decoded audio duration. */
export function sourceDurationMeter(
  ffmpegPath: string,
  signal?: AbortSignal,
): (source: ExportSource) => Promise<number> {
  const cache = new Map<string, Promise<number>>();
  return (source) => {
    let pending = cache.get(source.absolutePath);
    if (!pending) {
      pending = decodedAudioDurationSec(source.absolutePath, { ffmpegPath, signal });
      cache.set(source.absolutePath, pending);
    }
    return pending;
  };
}
