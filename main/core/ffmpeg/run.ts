// Runs ffmpeg with an argument array (never through a shell), reports progress from
// `-progress pipe:1`, kills it on abort, and turns a failure into an error whose reason is
// ffmpeg's own last words on stderr.
import { spawn } from 'node:child_process';
import { MediaStatsParser, parseLogLine, type MediaStats } from './media-stats.ts';
import { ProgressParser, type FfmpegProgress } from './progress-parser.ts';
import { StderrTail } from './stderr-tail.ts';

export type { FfmpegProgress } from './progress-parser.ts';
export type { MediaStats } from './media-stats.ts';

export interface RunFfmpegOptions {
  ffmpegPath: string;
  /** Duration of the input in seconds, to turn media time into a fraction. */
  totalDurationSec?: number | null;
  onProgress?: (progress: FfmpegProgress) => void;
  signal?: AbortSignal;
  /**
   * Also collect ffmpeg's final statistics (samples decoded and encoded per audio stream):
   * runs at log level "verbose" with level tags, and keeps only error lines for a failure's
   * reason, so the reason reads exactly as it would at level "error".
   */
  mediaStats?: boolean;
}

export interface FfmpegResult {
  /** With `mediaStats`: what ffmpeg counted; otherwise null. */
  mediaStats: MediaStats | null;
}

export class FfmpegError extends Error {
  override readonly name = 'FfmpegError';
  readonly exitCode: number | null;
  readonly exitSignal: NodeJS.Signals | null;
  /** ffmpeg's last stderr lines: the reason to show a user. */
  readonly reason: string;

  constructor(exitCode: number | null, exitSignal: NodeJS.Signals | null, reason: string) {
    const how = exitCode !== null ? `exited with code ${exitCode}` : `was killed by ${exitSignal}`;
    super(`ffmpeg ${how}: ${reason || '(no error output)'}`);
    this.exitCode = exitCode;
    this.exitSignal = exitSignal;
    this.reason = reason || `ffmpeg ${how}`;
  }
}

/** Options every run gets: no banner, no stdin, machine-readable progress on stdout. */
export const FFMPEG_BASE_ARGS: readonly string[] = [
  '-hide_banner',
  '-nostdin',
  '-nostats',
  '-loglevel',
  'error',
  '-progress',
  'pipe:1',
];

/** The levels at or above which a line is part of a failure's reason (what `error` prints). */
const REASON_LEVELS = new Set(['panic', 'fatal', 'error']);

/** Runs `ffmpeg FFMPEG_BASE_ARGS… args…`. Rejects with FfmpegError, or the signal's reason. */
export function runFfmpeg(
  args: readonly string[],
  options: RunFfmpegOptions,
): Promise<FfmpegResult> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(abortReason(signal));

  const baseArgs = options.mediaStats
    ? FFMPEG_BASE_ARGS.map((arg) => (arg === 'error' ? 'level+verbose' : arg))
    : FFMPEG_BASE_ARGS;
  return new Promise<FfmpegResult>((resolve, reject) => {
    const child = spawn(options.ffmpegPath, [...baseArgs, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      shell: false,
    });
    const tail = new StderrTail();
    const stats = options.mediaStats ? new MediaStatsParser() : null;
    let partialLine = '';
    let lineLevelIsReason = false;
    const onStderrLine = (raw: string): void => {
      const line = parseLogLine(raw);
      stats!.push(line);
      // An untagged line continues the message before it.
      if (line.level !== null) lineLevelIsReason = REASON_LEVELS.has(line.level);
      if (lineLevelIsReason) tail.pushLine(line.text);
    };
    const onStderr = (chunk: Buffer | string): void => {
      if (!stats) return tail.push(chunk);
      const lines = (partialLine + String(chunk)).split(/\r?\n|\r/);
      partialLine = lines.pop() ?? '';
      for (const line of lines) onStderrLine(line);
    };
    const parser = new ProgressParser(options.totalDurationSec ?? null, (p) =>
      options.onProgress?.(p),
    );
    let settled = false;
    const finish = (error: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve({ mediaStats: stats?.result() ?? null });
      else reject(error);
    };
    let abortError: unknown;
    const onAbort = (): void => {
      // SIGKILL: the partial output is deleted anyway, so there is nothing to let ffmpeg finish.
      // Settle only once it has exited, so the caller can delete the file (Windows locks it).
      abortError = abortReason(signal!);
      child.kill('SIGKILL');
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => parser.push(chunk));
    // Decoded as a stream, so a character split across two chunks stays whole.
    if (stats) child.stderr.setEncoding('utf8');
    child.stderr.on('data', onStderr);
    child.on('error', (error) =>
      finish(
        new Error(`Could not start ffmpeg (${options.ffmpegPath}): ${error.message}`, {
          cause: error,
        }),
      ),
    );
    child.on('close', (code, exitSignal) => {
      if (stats && partialLine) onStderrLine(partialLine);
      if (abortError !== undefined) finish(abortError);
      else if (code === 0) finish(undefined);
      else finish(new FfmpegError(code, exitSignal, tail.reason()));
    });
  });
}

export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}
