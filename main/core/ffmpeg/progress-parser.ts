// Parses ffmpeg's `-progress` output: blocks of key=value lines, each ended by
// `progress=continue` or `progress=end`.
export interface FfmpegProgress {
  /** Media time written so far, in seconds. */
  outTimeSec: number;
  /** outTimeSec / total duration, clamped to [0, 1]; null when the total is unknown. */
  fraction: number | null;
  /** Encoding speed relative to real time (e.g. 42.5 for "42.5x"), if reported. */
  speed: number | null;
  done: boolean;
}

export class ProgressParser {
  readonly #totalSec: number | null;
  readonly #onProgress: (progress: FfmpegProgress) => void;
  #block = new Map<string, string>();
  #partial = '';

  constructor(totalSec: number | null, onProgress: (progress: FfmpegProgress) => void) {
    this.#totalSec = totalSec !== null && totalSec > 0 ? totalSec : null;
    this.#onProgress = onProgress;
  }

  push(chunk: Buffer | string): void {
    const lines = (this.#partial + chunk.toString()).split(/\r?\n/);
    this.#partial = lines.pop() ?? '';
    for (const line of lines) this.#line(line);
  }

  #line(line: string): void {
    const eq = line.indexOf('=');
    if (eq <= 0) return;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key !== 'progress') {
      this.#block.set(key, value);
      return;
    }
    const done = value === 'end';
    const outTimeSec = readOutTime(this.#block);
    const speedMatch = /^([\d.]+)x$/.exec(this.#block.get('speed') ?? '');
    const fraction =
      this.#totalSec === null ? (done ? 1 : null) : done ? 1 : clamp(outTimeSec / this.#totalSec);
    this.#block = new Map();
    this.#onProgress({
      outTimeSec,
      fraction,
      speed: speedMatch ? Number(speedMatch[1]) : null,
      done,
    });
  }
}

function readOutTime(block: Map<string, string>): number {
  // out_time_us is microseconds; out_time_ms is (despite its name) microseconds as well.
  for (const key of ['out_time_us', 'out_time_ms']) {
    const value = Number(block.get(key));
    if (Number.isFinite(value) && value >= 0) return value / 1_000_000;
  }
  const hms = /^(\d+):(\d+):([\d.]+)$/.exec(block.get('out_time') ?? '');
  if (hms) return Number(hms[1]) * 3600 + Number(hms[2]) * 60 + Number(hms[3]);
  return 0;
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}
