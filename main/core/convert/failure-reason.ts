// The one-line-ish reason a file failed, for the summary and manifest: ffmpeg's or ffprobe's
// own words when they are the cause.
import { ProbeError } from '../ffmpeg/probe.ts';
import { FfmpegError } from '../ffmpeg/run.ts';

export function failureReason(error: unknown): string {
  if (error instanceof FfmpegError || error instanceof ProbeError) return error.reason;
  if (error instanceof Error) return error.message;
  return String(error);
}
