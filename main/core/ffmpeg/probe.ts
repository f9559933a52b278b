// Reads a media file's container and streams with ffprobe's JSON output.
import { execFile } from 'node:child_process';
import { z } from 'zod';
import { demuxerForFile, inputArgs } from './input.ts';
import { StderrTail } from './stderr-tail.ts';

export interface MediaStream {
  /** ffprobe's codec_name (e.g. "mp3", "pcm_s16le", "h264"); "unknown" when absent. */
  codec: string;
  type: 'audio' | 'video' | 'subtitle' | 'data' | 'attachment' | 'unknown';
  sampleRate: number | null;
  channels: number | null;
  width?: number;
  height?: number;
}

export interface MediaInfo {
  durationSec: number | null;
  /** ffprobe's format_name, e.g. "wav", "mov,mp4,m4a,3gp,3g2,mj2". */
  format: string;
  streams: MediaStream[];
}

export class ProbeError extends Error {
  override readonly name = 'ProbeError';
  /** ffprobe's last stderr lines. */
  readonly reason: string;

  constructor(file: string, reason: string) {
    super(`ffprobe could not read ${file}: ${reason}`);
    this.reason = reason;
  }
}

const numberish = z.union([z.number(), z.string()]).optional();

const ProbeJson = z.object({
  format: z.object({ format_name: z.string().optional(), duration: numberish }).loose().optional(),
  streams: z
    .array(
      z
        .object({
          codec_name: z.string().optional(),
          codec_type: z.string().optional(),
          sample_rate: numberish,
          channels: z.number().optional(),
          width: z.number().optional(),
          height: z.number().optional(),
          duration: numberish,
        })
        .loose(),
    )
    .optional(),
});

const STREAM_TYPES = new Set(['audio', 'video', 'subtitle', 'data', 'attachment']);

/** Turns `ffprobe -print_format json -show_format -show_streams` output into MediaInfo. */
export function parseProbeJson(json: unknown): MediaInfo {
  const parsed = ProbeJson.parse(json);
  const rawStreams = parsed.streams ?? [];
  const streams = rawStreams.map((s): MediaStream => {
    const type = STREAM_TYPES.has(s.codec_type ?? '') ? s.codec_type : 'unknown';
    const stream: MediaStream = {
      codec: s.codec_name ?? 'unknown',
      type: type as MediaStream['type'],
      sampleRate: positiveNumber(s.sample_rate),
      channels: positiveNumber(s.channels),
    };
    if (s.width !== undefined) stream.width = s.width;
    if (s.height !== undefined) stream.height = s.height;
    return stream;
  });
  // Some containers only carry a per-stream duration.
  const streamDurations = rawStreams
    .map((s) => positiveNumber(s.duration))
    .filter((d) => d !== null);
  const durationSec =
    positiveNumber(parsed.format?.duration) ??
    (streamDurations.length ? Math.max(...streamDurations) : null);
  return { durationSec, format: parsed.format?.format_name ?? 'unknown', streams };
}

export interface ProbeOptions {
  ffprobePath: string;
  signal?: AbortSignal;
}

export function probeMedia(file: string, options: ProbeOptions): Promise<MediaInfo> {
  let input: string[];
  try {
    input = inputArgs(file, demuxerForFile(file));
  } catch (error) {
    return Promise.reject(new ProbeError(file, (error as Error).message));
  }
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...input];
  return new Promise((resolve, reject) => {
    execFile(
      options.ffprobePath,
      args,
      { maxBuffer: 16 * 1024 * 1024, windowsHide: true, signal: options.signal, shell: false },
      (error, stdout, stderr) => {
        if (error) {
          if (error.name === 'AbortError') return reject(options.signal?.reason ?? error);
          const tail = new StderrTail();
          tail.push(stderr);
          return reject(new ProbeError(file, tail.reason() || error.message));
        }
        try {
          resolve(parseProbeJson(JSON.parse(stdout)));
        } catch (parseError) {
          reject(new ProbeError(file, `unreadable ffprobe output: ${String(parseError)}`));
        }
      },
    );
  });
}

/** The first audio stream, which is what an export converts. */
export function firstAudioStream(info: MediaInfo): MediaStream | null {
  return info.streams.find((s) => s.type === 'audio') ?? null;
}

export function hasVideoStream(info: MediaInfo): boolean {
  // Cover art in an mp3/m4a shows up as a one-frame "video" stream; codecs like mjpeg/png are
  // pictures, not a video recording.
  return info.streams.some((s) => s.type === 'video' && !['mjpeg', 'png', 'bmp'].includes(s.codec));
}

function positiveNumber(value: number | string | undefined): number | null {
  if (value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) && n > 0 ? n : null;
}
