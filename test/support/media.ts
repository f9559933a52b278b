// Real media for the conversion tests, generated with ffmpeg's lavfi sources, plus helpers to
// inspect results with ffprobe/ffmpeg.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { locateFfmpegTools, type FfmpegTools } from '../../main/core/ffmpeg/locate.ts';
import { decodedAudioDurationSec } from '../../main/core/ffmpeg/decoded-duration.ts';
import { probeMedia, type MediaInfo } from '../../main/core/ffmpeg/probe.ts';
import type { ExportSource } from '../../main/core/convert/source.ts';
import { sha256File } from './bytes.ts';

const exec = promisify(execFile);

export const tools: FfmpegTools = locateFfmpegTools();

export async function ffmpeg(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return exec(tools.ffmpeg, ['-hide_banner', '-nostdin', '-y', ...args], {
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Stereo 44.1 kHz wav: 440 Hz sine on the LEFT (agent), 1000 Hz on the RIGHT (customer). */
export async function makeStereoMixed(file: string, seconds = 3): Promise<string> {
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `sine=f=440:d=${seconds}:r=44100`,
    '-f',
    'lavfi',
    '-i',
    `sine=f=1000:d=${seconds}:r=44100`,
    '-filter_complex',
    '[0:a][1:a]join=inputs=2:channel_layout=stereo:map=0.0-FL|1.0-FR',
    '-c:a',
    'pcm_s16le',
    file,
  ]);
  return file;
}

export async function makeMonoWav(file: string, seconds = 2): Promise<string> {
  await ffmpeg(['-f', 'lavfi', '-i', `sine=f=600:d=${seconds}:r=16000`, '-c:a', 'pcm_s16le', file]);
  return file;
}

export async function makeMp3(file: string, seconds = 2.5): Promise<string> {
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `sine=f=800:d=${seconds}:r=44100`,
    '-ac',
    '2',
    '-c:a',
    'libmp3lame',
    '-b:a',
    '96k',
    file,
  ]);
  return file;
}

/** A short H.264 + AAC mp4, like an Envoy video/mp4 recording. */
export async function makeVideoMp4(file: string, seconds = 2): Promise<string> {
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=320x240:rate=15:duration=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `sine=f=500:d=${seconds}:r=48000`,
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    file,
  ]);
  return file;
}

let counter = 0;

/** An ExportSource for a real file, with its true SHA-256 unless overridden. */
export async function sourceFor(
  file: string,
  overrides: Partial<ExportSource> = {},
): Promise<ExportSource> {
  counter++;
  return {
    recordingId: `r${String(counter).padStart(4, '0')}`,
    provider: 'kallglot',
    accountName: 'Legal Team',
    sessionId: 'sess_abc',
    callId: null,
    remoteId: `rec_${counter}`,
    channel: 'mixed',
    recordedAt: new Date(Date.UTC(2024, 4, 1, 12, 0, counter)).toISOString(),
    durationSec: null,
    contentType: 'audio/wav',
    format: path.extname(file).slice(1),
    sha256: await sha256File(file),
    absolutePath: file,
    ...overrides,
  };
}

export async function probe(file: string): Promise<MediaInfo> {
  return probeMedia(file, { ffprobePath: tools.ffprobe });
}

/** What a player plays: seconds of decoded audio. */
export async function decodedSeconds(file: string): Promise<number> {
  return decodedAudioDurationSec(file, { ffmpegPath: tools.ffmpeg });
}

/**
 * Dominant frequency of a mono file from its zero-crossing rate: a pure sine crosses zero twice
 * per period. Decodes to raw 16-bit samples at the file's rate.
 */
export async function zeroCrossingHz(file: string): Promise<number> {
  const rate = 44100;
  const raw = await new Promise<Buffer>((resolve, reject) => {
    execFile(
      tools.ffmpeg,
      ['-v', 'error', '-i', file, '-ac', '1', '-ar', String(rate), '-f', 's16le', '-'],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
  const samples = new Int16Array(raw.buffer, raw.byteOffset, Math.floor(raw.length / 2));
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) {
    if ((samples[i - 1]! < 0 && samples[i]! >= 0) || (samples[i - 1]! >= 0 && samples[i]! < 0)) {
      crossings++;
    }
  }
  return crossings / 2 / (samples.length / rate);
}

/** Integrated loudness (LUFS) measured by ffmpeg's ebur128 filter. */
export async function integratedLoudness(file: string): Promise<number> {
  const { stderr } = await ffmpeg(['-i', file, '-af', 'ebur128', '-f', 'null', '-']);
  const matches = [...stderr.matchAll(/I:\s+(-?[\d.]+) LUFS/g)];
  return Number(matches.at(-1)?.[1]);
}

export async function writeGarbage(file: string): Promise<string> {
  // Starts like nothing ffmpeg knows; a few KB of pseudo-random bytes.
  const bytes = Buffer.alloc(4096);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 251;
  await writeFile(file, bytes);
  return file;
}
