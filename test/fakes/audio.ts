// Real test audio, made with ffmpeg at test time and cached by its parameters, so fakes serve
// files that players, ffprobe and exports can actually decode. The agent is a 440 Hz tone and
// the customer a 1000 Hz tone: a test can tell the stereo sides apart with a band-pass filter.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const AGENT_TONE_HZ = 440;
export const CUSTOMER_TONE_HZ = 1000;

export type FakeAudioFormat = 'mp3' | 'wav' | 'ogg' | 'm4a' | 'mp4';

export interface FakeAudioSpec {
  /** mixed = stereo, agent LEFT / customer RIGHT; agent and customer are mono. */
  channel: 'mixed' | 'agent' | 'customer';
  /** m4a = AAC audio in MP4 (audio/mp4); mp4 = a short video with sound (video/mp4). */
  format: FakeAudioFormat;
  durationSec?: number;
  sampleRate?: number;
}

export interface FakeAudioFile {
  path: string;
  size: number;
  sha256: string;
  format: FakeAudioFormat;
  contentType: string;
  channels: 1 | 2;
  sampleRate: number;
  durationSec: number;
}

export const CONTENT_TYPES: Record<FakeAudioFormat, string> = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
};

const CODEC_ARGS: Record<FakeAudioFormat, string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'],
  wav: ['-c:a', 'pcm_s16le', '-f', 'wav'],
  ogg: ['-c:a', 'libvorbis', '-q:a', '2', '-f', 'ogg'],
  m4a: ['-c:a', 'aac', '-b:a', '64k', '-f', 'mp4'],
  mp4: [
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-b:a',
    '64k',
    '-f',
    'mp4',
  ],
};

export const FAKE_AUDIO_DIR = join(tmpdir(), 'recvault-fake-audio');

const pending = new Map<string, Promise<FakeAudioFile>>();

/** The file for `spec`, generated on first use and cached on disk and in memory. */
export function fakeAudio(spec: FakeAudioSpec): Promise<FakeAudioFile> {
  const full = {
    channel: spec.channel,
    format: spec.format,
    durationSec: spec.durationSec ?? 3,
    sampleRate: spec.sampleRate ?? (spec.format === 'wav' ? 16000 : 44100),
  };
  const key = `${full.channel}-${full.durationSec}s-${full.sampleRate}hz`;
  const path = join(FAKE_AUDIO_DIR, `${key}.${full.format}`);
  let entry = pending.get(path);
  if (!entry) {
    entry = generate(full, path);
    pending.set(path, entry);
    entry.catch(() => pending.delete(path));
  }
  return entry;
}

async function generate(spec: Required<FakeAudioSpec>, path: string): Promise<FakeAudioFile> {
  await mkdir(FAKE_AUDIO_DIR, { recursive: true });
  const exists = await stat(path).then(
    (s) => s.size > 0,
    () => false,
  );
  if (!exists) {
    // Written under a unique name and renamed, so parallel test workers never see half a file.
    const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await run('ffmpeg', [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      ...inputs(spec),
      ...CODEC_ARGS[spec.format],
      '-y',
      temp,
    ]);
    await rename(temp, path);
  }
  const data = await readFile(path);
  return {
    path,
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    format: spec.format,
    contentType: CONTENT_TYPES[spec.format],
    channels: spec.channel === 'mixed' ? 2 : 1,
    sampleRate: spec.sampleRate,
    durationSec: spec.durationSec,
  };
}

function inputs(spec: Required<FakeAudioSpec>): string[] {
  const tone = (hz: number): string[] => [
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${hz}:sample_rate=${spec.sampleRate}:duration=${spec.durationSec}`,
  ];
  const common = ['-map_metadata', '-1', '-fflags', '+bitexact', '-flags:a', '+bitexact'];
  const video =
    spec.format === 'mp4'
      ? ['-f', 'lavfi', '-i', `testsrc=size=160x120:rate=10:duration=${spec.durationSec}`]
      : [];
  const audioIndex = video.length > 0 ? 1 : 0;
  const mapVideo = video.length > 0 ? ['-map', '0:v'] : [];
  if (spec.channel === 'mixed') {
    return [
      ...video,
      ...tone(AGENT_TONE_HZ),
      ...tone(CUSTOMER_TONE_HZ),
      '-filter_complex',
      `[${audioIndex}:a][${audioIndex + 1}:a]join=inputs=2:channel_layout=stereo[out]`,
      ...mapVideo,
      '-map',
      '[out]',
      ...common,
    ];
  }
  const hz = spec.channel === 'agent' ? AGENT_TONE_HZ : CUSTOMER_TONE_HZ;
  return [...video, ...tone(hz), ...mapVideo, '-map', `${audioIndex}:a`, '-ac', '1', ...common];
}

/**
 * Loudness (mean dB) of one channel of `path` after a narrow band-pass at `frequencyHz`:
 * high for the tone a channel carries, far lower for the other one.
 */
export async function toneLevelDb(
  path: string,
  channelIndex: number,
  frequencyHz: number,
): Promise<number> {
  const { stderr } = await run('ffmpeg', [
    '-nostdin',
    '-hide_banner',
    '-i',
    path,
    '-af',
    `pan=mono|c0=c${channelIndex},bandpass=f=${frequencyHz}:width_type=q:w=8,volumedetect`,
    '-f',
    'null',
    '-',
  ]);
  const match = /mean_volume:\s*(-?[\d.]+|-inf) dB/.exec(stderr);
  if (!match?.[1]) throw new Error(`no volumedetect output for ${path}`);
  return match[1] === '-inf' ? -Infinity : Number(match[1]);
}
