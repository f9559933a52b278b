// The exact duration of a file's first audio stream, by decoding it. Container durations are
// approximate for some formats (an mp3's includes encoder delay and padding: 16 kHz mono reads
// ~90 ms long), and an export manifest should state what a player actually plays.
import { demuxerForFile, inputArgs } from './input.ts';
import { runFfmpeg } from './run.ts';

export interface DecodedDurationOptions {
  ffmpegPath: string;
  signal?: AbortSignal;
  /** The demuxer to read `file` with; by default its archived extension's. */
  demuxer?: string;
}

/** Seconds of decoded audio (video is skipped, so this stays cheap for mp4 files). */
export async function decodedAudioDurationSec(
  file: string,
  options: DecodedDurationOptions,
): Promise<number> {
  let seconds = 0;
  const input = inputArgs(file, options.demuxer ?? demuxerForFile(file));
  await runFfmpeg([...input, '-map', '0:a:0', '-vn', '-sn', '-dn', '-f', 'null', '-'], {
    ffmpegPath: options.ffmpegPath,
    signal: options.signal,
    onProgress: (p) => {
      seconds = Math.max(seconds, p.outTimeSec);
    },
  });
  return seconds;
}
