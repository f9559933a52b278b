// The WAV header reader must say exactly what ffprobe says, or nothing at all.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateFfmpegTools, type FfmpegTools } from '../../../main/core/ffmpeg/locate.ts';
import { probeMedia } from '../../../main/core/ffmpeg/probe.ts';
import { runFfmpeg } from '../../../main/core/ffmpeg/run.ts';
import { readWavInfo } from '../../../main/core/ffmpeg/wav-info.ts';

let tools: FfmpegTools;
let dir: string;

beforeAll(async () => {
  tools = locateFfmpegTools();
  dir = await mkdtemp(path.join(os.tmpdir(), 'recvault-wav-info-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function makeWav(
  name: string,
  codec: string,
  rate: number,
  channels: number,
  seconds: number,
) {
  const file = path.join(dir, name);
  await runFfmpeg(
    [
      '-f',
      'lavfi',
      '-i',
      `sine=f=440:d=${seconds}:r=${rate}`,
      '-ac',
      String(channels),
      '-c:a',
      codec,
      // A LIST chunk before the data, as recorders write.
      '-metadata',
      'title=call',
      file,
    ],
    { ffmpegPath: tools.ffmpeg },
  );
  return file;
}

describe('readWavInfo', () => {
  it('agrees with ffprobe on plain PCM, A-law and µ-law files, odd lengths included', async () => {
    const cases: [string, number, number, number][] = [
      ['pcm_u8', 16000, 1, 2.0371],
      ['pcm_s16le', 16000, 1, 2.0371],
      ['pcm_s16le', 44100, 2, 3.00001],
      ['pcm_s16le', 8000, 1, 0.3333],
      ['pcm_alaw', 8000, 1, 1.3],
      ['pcm_mulaw', 8000, 2, 1.7],
    ];
    for (const [codec, rate, channels, seconds] of cases) {
      const file = await makeWav(
        `${codec}-${rate}-${channels}.wav`,
        codec,
        rate,
        channels,
        seconds,
      );
      const fast = await readWavInfo(file);
      expect(fast, file).not.toBeNull();
      expect(fast).toEqual(await probeMedia(file, { ffprobePath: tools.ffprobe }));
    }
  });

  it('leaves to ffprobe what it cannot read exactly: extensible, RF64, unknown or overlong data', async () => {
    // ffmpeg writes WAVE_FORMAT_EXTENSIBLE for more than two channels or 16 bits.
    expect(await readWavInfo(await makeWav('s24.wav', 'pcm_s24le', 48000, 2, 0.5))).toBeNull();
    expect(await readWavInfo(await makeWav('quad.wav', 'pcm_s16le', 8000, 4, 0.5))).toBeNull();
    const plain = await makeWav('plain.wav', 'pcm_s16le', 8000, 1, 0.5);
    const bytes = await readFile(plain);
    const dataAt = bytes.indexOf('data');
    const variant = async (name: string, edit: (b: Buffer) => Buffer): Promise<string> => {
      const file = path.join(dir, name);
      await writeFile(file, edit(Buffer.from(bytes)));
      return file;
    };
    const unknownSize = await variant('unknown.wav', (b) => {
      b.writeUInt32LE(0xffffffff, dataAt + 4);
      return b;
    });
    const truncated = await variant('truncated.wav', (b) => b.subarray(0, b.length - 100));
    const rf64 = await variant('rf64.wav', (b) => {
      b.write('RF64', 0, 'latin1');
      return b;
    });
    const notWav = await variant('not.wav', (b) => b.subarray(0, 10));
    for (const file of [unknownSize, truncated, rf64, notWav, path.join(dir, 'missing.wav')]) {
      expect(await readWavInfo(file), file).toBeNull();
    }
  });
});
