import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateFfmpegTools, type FfmpegTools } from '../../../main/core/ffmpeg/locate.ts';
import { ProbeError, parseProbeJson, probeMedia } from '../../../main/core/ffmpeg/probe.ts';
import { FfmpegError, runFfmpeg, type FfmpegProgress } from '../../../main/core/ffmpeg/run.ts';

let tools: FfmpegTools;
let dir: string;

beforeAll(async () => {
  tools = locateFfmpegTools();
  dir = await mkdtemp(path.join(os.tmpdir(), 'recvault-ffmpeg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runFfmpeg', () => {
  it('runs with an argument array and reports progress up to 1', async () => {
    const out = path.join(dir, 'tone; rm -rf $HOME.wav'); // shell metacharacters stay a name
    const seen: FfmpegProgress[] = [];
    await runFfmpeg(['-f', 'lavfi', '-i', 'sine=f=440:d=2', '-c:a', 'pcm_s16le', out], {
      ffmpegPath: tools.ffmpeg,
      totalDurationSec: 2,
      onProgress: (p) => seen.push(p),
    });
    expect((await stat(out)).size).toBeGreaterThan(100_000);
    expect(seen.at(-1)).toMatchObject({ fraction: 1, done: true });
  });

  it("fails with ffmpeg's own last stderr lines as the reason", async () => {
    const missing = path.join(dir, 'missing.wav');
    const error = await runFfmpeg(['-i', missing, '-f', 'null', '-'], {
      ffmpegPath: tools.ffmpeg,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegError);
    expect((error as FfmpegError).exitCode).not.toBe(0);
    expect((error as FfmpegError).reason).toContain('No such file or directory');
    expect((error as FfmpegError).reason).toContain(missing);
  });

  it('with mediaStats, counts the samples decoded and encoded; failures read as at level error', async () => {
    const wav = path.join(dir, 'stats.wav');
    await runFfmpeg(['-f', 'lavfi', '-i', 'sine=f=440:d=1.5:r=16000', '-c:a', 'pcm_s16le', wav], {
      ffmpegPath: tools.ffmpeg,
    });
    const out = path.join(dir, 'stats.flac');
    const { mediaStats } = await runFfmpeg(['-i', wav, '-ar', '8000', '-c:a', 'flac', out], {
      ffmpegPath: tools.ffmpeg,
      mediaStats: true,
    });
    expect(mediaStats).toEqual({
      decodedAudio: [{ file: 0, stream: 0, samples: 24000, sampleRate: 16000 }],
      encodedAudio: [{ file: 0, stream: 0, samples: 12000, sampleRate: 8000 }],
    });

    const missing = path.join(dir, 'missing.wav');
    const reasons = await Promise.all(
      [false, true].map((mediaStats) =>
        runFfmpeg(['-i', missing, '-f', 'null', '-'], { ffmpegPath: tools.ffmpeg, mediaStats })
          .then(() => null)
          .catch((e: unknown) => (e as FfmpegError).reason),
      ),
    );
    expect(reasons[0]).toContain(missing);
    expect(reasons[1]).toBe(reasons[0]);
  });

  it('kills ffmpeg when the signal aborts, and settles only after it exited', async () => {
    const controller = new AbortController();
    const started = Date.now();
    // -re: real-time pace, so this would take 60 s if not killed.
    const run = runFfmpeg(['-re', '-f', 'lavfi', '-i', 'sine=d=60', '-f', 'null', '-'], {
      ffmpegPath: tools.ffmpeg,
      totalDurationSec: 60,
      onProgress: () => controller.abort(),
      signal: controller.signal,
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('rejects at once when the signal is already aborted, and reports a missing binary clearly', async () => {
    await expect(
      runFfmpeg(['-version'], { ffmpegPath: tools.ffmpeg, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    await expect(
      runFfmpeg(['-version'], { ffmpegPath: path.join(dir, 'no-ffmpeg') }),
    ).rejects.toThrow(/Could not start ffmpeg .*no-ffmpeg.*ENOENT/);
  });
});

describe('probe', () => {
  it('reads duration, format and streams of a real file', async () => {
    const file = path.join(dir, 'probe.mp4');
    await runFfmpeg(
      [
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=160x120:rate=10:duration=1',
        '-f',
        'lavfi',
        '-i',
        'sine=f=440:d=1:r=22050',
        '-c:v',
        'libx264',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        '-ac',
        '2',
        '-shortest',
        file,
      ],
      { ffmpegPath: tools.ffmpeg },
    );
    const info = await probeMedia(file, { ffprobePath: tools.ffprobe });
    expect(info.format).toContain('mp4');
    expect(info.durationSec).toBeGreaterThan(0.9);
    expect(info.streams).toEqual(
      expect.arrayContaining([
        { codec: 'h264', type: 'video', sampleRate: null, channels: null, width: 160, height: 120 },
        { codec: 'aac', type: 'audio', sampleRate: 22050, channels: 2 },
      ]),
    );
  });

  it('fails with ffprobe’s reason on a file that is not media', async () => {
    const error = await probeMedia(path.join(dir), { ffprobePath: tools.ffprobe }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProbeError);
    expect((error as ProbeError).reason.length).toBeGreaterThan(0);
  });

  it('parses sparse JSON: stream durations when the format has none, unknown types', () => {
    expect(
      parseProbeJson({
        format: { format_name: 'ogg' },
        streams: [
          {
            codec_type: 'audio',
            codec_name: 'opus',
            sample_rate: '48000',
            channels: 1,
            duration: '2.5',
          },
          { codec_type: 'weird' },
        ],
      }),
    ).toEqual({
      durationSec: 2.5,
      format: 'ogg',
      streams: [
        { codec: 'opus', type: 'audio', sampleRate: 48000, channels: 1 },
        { codec: 'unknown', type: 'unknown', sampleRate: null, channels: null },
      ],
    });
  });
});
