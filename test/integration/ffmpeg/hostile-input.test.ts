// An archived file is decoded as the type it was archived as, from the file protocol only: a
// "recording" that is really an ffconcat list must not make ffprobe or ffmpeg read another
// file (here a neighbouring recording) in its place, in probing, peaks, durations or exports.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExport } from '../../../main/core/convert/index.ts';
import { decodedAudioDurationSec } from '../../../main/core/ffmpeg/decoded-duration.ts';
import { probeMedia } from '../../../main/core/ffmpeg/probe.ts';
import { recordingPeaks } from '../../../main/core/media/peaks.ts';
import { makeMonoWav, sourceFor, tools } from '../../support/media.ts';
import { tempDir } from '../../support/tmp.ts';

async function hostileArchive(): Promise<{ dir: string; hostile: string }> {
  const dir = tempDir('recvault-hostile-');
  await makeMonoWav(path.join(dir, 'neighbour.wav'), 2);
  const hostile = path.join(dir, 'rec_evil.wav');
  fs.writeFileSync(hostile, 'ffconcat version 1.0\nfile neighbour.wav\n');
  return { dir, hostile };
}

describe('an archived file that is an ffconcat list', () => {
  it('is not probed, measured or drawn as the file it names', async () => {
    const { dir, hostile } = await hostileArchive();
    await expect(probeMedia(hostile, { ffprobePath: tools.ffprobe })).rejects.toThrow();
    await expect(decodedAudioDurationSec(hostile, { ffmpegPath: tools.ffmpeg })).rejects.toThrow();
    await expect(
      recordingPeaks({
        ffmpegPath: tools.ffmpeg,
        file: hostile,
        sha256: 'b'.repeat(64),
        channels: 1,
        buckets: 20,
        cacheDir: path.join(dir, 'cache'),
      }),
    ).rejects.toThrow();
    // The real neighbour still reads as itself.
    const neighbour = await probeMedia(path.join(dir, 'neighbour.wav'), {
      ffprobePath: tools.ffprobe,
    });
    expect(neighbour.durationSec).toBeCloseTo(2, 1);
  });

  it('fails its export instead of exporting the neighbour', async () => {
    const { hostile } = await hostileArchive();
    const out = path.join(tempDir('recvault-hostile-out-'), 'out');
    const summary = await runExport({
      sources: [await sourceFor(hostile)],
      options: { format: 'mp3', fileNameTemplate: '{recording}' },
      destination: { kind: 'folder', path: out },
      tools,
    });
    expect(summary.totals).toMatchObject({ failures: 1, outputs: 0 });
    const written = fs.existsSync(out) ? fs.readdirSync(out).filter((f) => f.endsWith('.mp3')) : [];
    expect(written).toEqual([]);
  });
});
