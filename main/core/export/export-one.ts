// Produces one output file: checks the source against its archived checksum, copies or
// converts it into the staging area, hashes and probes the result, then publishes it.
import fs from 'node:fs/promises';
import { decodedAudioDurationSec } from '../ffmpeg/decoded-duration.ts';
import { runFfmpeg } from '../ffmpeg/run.ts';
import type { FfmpegTools } from '../ffmpeg/locate.ts';
import type { ExportDestination } from './destination.ts';
import { buildConversionArgs } from './ffmpeg-args.ts';
import type { ExportedFile } from './manifest.ts';
import type { PlannedOutput } from './plan.ts';
import { copyFileHashing, sha256File } from './sha256.ts';
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
    sourceFile = await ctx.verifySource(source);
    await runFfmpeg(buildConversionArgs(recipe, source.absolutePath, temp), {
      ffmpegPath: ctx.tools.ffmpeg,
      totalDurationSec: plan.sourceDurationSec,
      onProgress: (p) => {
        if (p.fraction !== null) ctx.onFraction(p.fraction);
      },
      signal: ctx.signal,
    });
    const [sha256, stat, durationSec, decodedSourceSec] = await Promise.all([
      sha256File(temp, ctx.signal),
      fs.stat(temp),
      decodedAudioDurationSec(temp, { ffmpegPath: ctx.tools.ffmpeg, signal: ctx.signal }),
      ctx.sourceDuration(source),
    ]);
    output = { sha256, bytes: stat.size, durationSec };
    // Both durations measured the same way, so the manifest compares like with like.
    sourceDurationSec = decodedSourceSec;
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
        const [sha256, stat] = await Promise.all([
          sha256File(source.absolutePath, signal),
          fs.stat(source.absolutePath),
        ]);
        if (!sameHash(sha256, source.sha256)) throw new SourceChecksumError(source, sha256);
        return { sha256, bytes: stat.size };
      })();
      cache.set(source.absolutePath, pending);
    }
    return pending;
  };
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
