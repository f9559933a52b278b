// ffmpeg's own account of a conversion, read from its log at level "verbose": how many audio
// samples it decoded from the input and fed to the encoder, and at what sample rates. That
// gives exact durations of what went in and what came out without decoding either file again.
//
// Lines are read as `-loglevel level+verbose` prints them: an optional "[ctx @ 0x…] " prefix,
// then the level in brackets, then the message. Only messages without a context prefix (the
// stream dumps and the final statistics) are looked at.

/** One decoded input stream or one encoded output stream, as ffmpeg counted it. */
export interface AudioSampleCount {
  /** Input or output file index (#N:…) and stream index (#…:N). */
  file: number;
  stream: number;
  samples: number;
  /** From the stream dump ("16000 Hz"); null if no dump was seen for this stream. */
  sampleRate: number | null;
}

export interface MediaStats {
  /** Input audio streams that were decoded. */
  decodedAudio: AudioSampleCount[];
  /** Output audio streams that were encoded (not stream-copied). */
  encodedAudio: AudioSampleCount[];
}

export type LogLevel =
  'quiet' | 'panic' | 'fatal' | 'error' | 'warning' | 'info' | 'verbose' | 'debug' | 'trace';

const LEVELS = new Set<string>([
  'quiet',
  'panic',
  'fatal',
  'error',
  'warning',
  'info',
  'verbose',
  'debug',
  'trace',
]);

export interface LogLine {
  /** Null for a line with no level tag (the continuation of a multi-line message). */
  level: LogLevel | null;
  /** Whether the message came with a "[ctx @ 0x…]" prefix (a component, not ffmpeg itself). */
  fromComponent: boolean;
  /** The line without the level tag, context prefix kept (as `-loglevel error` prints it). */
  text: string;
  /** The message alone, without prefix and tag. */
  message: string;
}

const TAGGED = /^(\[[^\]\n]* @ 0x[0-9a-fA-F]+\] )?\[([a-z]+)\] ?/;

/** Splits one line of `-loglevel level+…` output into level, prefix and message. */
export function parseLogLine(line: string): LogLine {
  const match = TAGGED.exec(line);
  if (!match || !LEVELS.has(match[2]!)) {
    return { level: null, fromComponent: false, text: line, message: line };
  }
  const prefix = match[1] ?? '';
  const message = line.slice(match[0].length);
  return {
    level: match[2] as LogLevel,
    fromComponent: prefix !== '',
    text: prefix + message,
    message,
  };
}

const DUMP_HEADER = /^(Input|Output) #(\d+), /;
const DUMP_AUDIO_STREAM = /^\s+Stream #(\d+):(\d+)\b[^:]*: Audio: (.*)$/;
const FINAL_STREAM = /^\s*(Input|Output) stream #(\d+):(\d+) \(audio\): (.*)$/;

export class MediaStatsParser {
  readonly #rates = new Map<string, number>();
  readonly #decoded: Omit<AudioSampleCount, 'sampleRate'>[] = [];
  readonly #encoded: Omit<AudioSampleCount, 'sampleRate'>[] = [];
  #dump: 'Input' | 'Output' | null = null;

  /** Feeds one parsed log line. */
  push(line: LogLine): void {
    if (line.level === null || line.fromComponent) return;
    const { message } = line;
    const header = DUMP_HEADER.exec(message);
    if (header && line.level === 'info') {
      this.#dump = header[1] as 'Input' | 'Output';
      return;
    }
    const stream = DUMP_AUDIO_STREAM.exec(message);
    if (stream && this.#dump && line.level === 'info') {
      const rate = /, (\d+) Hz(?:,|$)/.exec(stream[3]!);
      if (rate) this.#rates.set(`${this.#dump}:${stream[1]}:${stream[2]}`, Number(rate[1]));
      return;
    }
    const final = FINAL_STREAM.exec(message);
    if (final && line.level === 'verbose') {
      // 5.x: "… 1875 frames decoded (3840000 samples); …"; 7.x: "… 0 decode errors (3840000
      // samples); …"; a stream copy or an unused input stream counts no samples at all.
      const samples = /\((\d+) samples\)/.exec(final[4]!);
      if (!samples) return;
      const entry = {
        file: Number(final[2]),
        stream: Number(final[3]),
        samples: Number(samples[1]),
      };
      (final[1] === 'Input' ? this.#decoded : this.#encoded).push(entry);
    }
  }

  result(): MediaStats {
    const withRate =
      (kind: 'Input' | 'Output') =>
      (entry: Omit<AudioSampleCount, 'sampleRate'>): AudioSampleCount => ({
        ...entry,
        sampleRate: this.#rates.get(`${kind}:${entry.file}:${entry.stream}`) ?? null,
      });
    return {
      decodedAudio: this.#decoded.map(withRate('Input')),
      encodedAudio: this.#encoded.map(withRate('Output')),
    };
  }
}

/**
 * Seconds of audio in the single stream of `counts`, or null when there is not exactly one
 * stream with a known, positive sample rate (the caller then measures some other way).
 */
export function singleStreamSeconds(counts: readonly AudioSampleCount[]): number | null {
  if (counts.length !== 1) return null;
  const [only] = counts;
  if (!only || only.sampleRate === null || only.sampleRate <= 0) return null;
  return only.samples / only.sampleRate;
}
