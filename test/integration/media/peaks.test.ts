import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateFfmpeg } from '../../../main/core/ffmpeg/locate.ts';
import { recordingPeaks } from '../../../main/core/media/peaks.ts';
import { tempDir } from '../../support/tmp.ts';

const ffmpeg = locateFfmpeg().path;

describe('recording peaks', () => {
  it('draws a loud left channel and a silent right one apart, and caches the result', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'mixed.wav');
    // 2 s: left a full-scale sine, right silence for the first second then a quiet sine.
    const made = spawnSync(ffmpeg, [
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=2',
      '-f',
      'lavfi',
      '-i',
      'aevalsrc=0.1*sin(2*PI*1000*t)*gte(t\\,1):d=2',
      '-filter_complex',
      '[0:a][1:a]join=inputs=2:channel_layout=stereo',
      file,
    ]);
    expect(made.status, made.stderr?.toString()).toBe(0);
    const options = {
      ffmpegPath: ffmpeg,
      file,
      sha256: 'a'.repeat(64),
      channels: 2 as const,
      buckets: 20,
      cacheDir: dir,
    };
    const peaks = await recordingPeaks(options);
    expect(peaks.durationSec).toBeCloseTo(2, 1);
    const [left, right] = peaks.channels;
    expect(left).toHaveLength(20);
    expect(Math.min(...left!)).toBeGreaterThan(0.05);
    expect(Math.max(...right!.slice(0, 9))).toBe(0);
    expect(Math.max(...right!.slice(11))).toBeGreaterThan(0.05);
    expect(Math.max(...right!)).toBeLessThan(0.2);
    fs.rmSync(file);
    await expect(recordingPeaks(options)).resolves.toEqual(peaks);
  });

  it('fails with ffmpeg reason for an unreadable file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'broken.mp3');
    fs.writeFileSync(file, 'not audio');
    await expect(
      recordingPeaks({
        ffmpegPath: ffmpeg,
        file,
        sha256: 'b'.repeat(64),
        channels: 1,
        buckets: 10,
        cacheDir: dir,
      }),
    ).rejects.toThrow(/ffmpeg could not read the recording/);
  });
});
