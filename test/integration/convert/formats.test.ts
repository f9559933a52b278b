// Each export format, checked with ffprobe against the source: codec, sample rate, channels,
// duration within 50 ms. Also resampling, mono downmix and EBU R128 loudness normalisation.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../../../main/core/convert/run-export.ts';
import type { ExportSource } from '../../../main/core/convert/source.ts';
import type { ExportFormat } from '../../../main/core/contract/vocabulary.ts';
import {
  decodedSeconds,
  ffmpeg,
  integratedLoudness,
  makeMonoWav,
  makeStereoMixed,
  probe,
  sourceFor,
  tools,
} from '../../support/media.ts';
import { makeTempDir, removeDir } from '../../support/tmp.ts';

let dir: string;
let stereo: ExportSource;
let mono: ExportSource;

beforeAll(async () => {
  dir = await makeTempDir('formats');
  stereo = await sourceFor(await makeStereoMixed(path.join(dir, 'stereo.wav'), 3));
  mono = await sourceFor(await makeMonoWav(path.join(dir, 'mono.wav'), 2), { channel: 'agent' });
});
afterAll(() => removeDir(dir));

const EXPECTED: Record<Exclude<ExportFormat, 'original'>, { codec: string; ext: string }> = {
  mp3: { codec: 'mp3', ext: 'mp3' },
  wav: { codec: 'pcm_s16le', ext: 'wav' },
  ogg: { codec: 'vorbis', ext: 'ogg' },
  flac: { codec: 'flac', ext: 'flac' },
  m4a: { codec: 'aac', ext: 'm4a' },
  opus: { codec: 'opus', ext: 'opus' },
};

describe('export formats', () => {
  for (const [format, expected] of Object.entries(EXPECTED)) {
    it(`${format}: codec ${expected.codec}, same rate and channels, duration within 50 ms`, async () => {
      const out = path.join(dir, `out-${format}`);
      const summary = await runExport({
        sources: [stereo, mono],
        options: { format: format as ExportFormat },
        destination: { kind: 'folder', path: out },
        tools,
        concurrency: 2,
      });
      expect(summary.failures).toEqual([]);
      expect(summary.outputs).toHaveLength(2);
      for (const [output, source, channels, rate] of [
        [summary.outputs[0]!, stereo, 2, 44100],
        [summary.outputs[1]!, mono, 1, 16000],
      ] as const) {
        expect(output.recordingId).toBe(source.recordingId);
        expect(output.outputName.endsWith(`.${expected.ext}`)).toBe(true);
        const info = await probe(path.join(out, output.outputName));
        const audio = info.streams.filter((s) => s.type === 'audio');
        expect(audio).toHaveLength(1);
        expect(audio[0]!.codec).toBe(expected.codec);
        // Opus always decodes at 48 kHz; everything else keeps the source's rate.
        expect(audio[0]!.sampleRate).toBe(format === 'opus' ? 48000 : rate);
        expect(audio[0]!.channels).toBe(channels);
        // Decoded durations: an mp3's container duration includes encoder delay and padding.
        const played = await decodedSeconds(path.join(out, output.outputName));
        const sourcePlayed = await decodedSeconds(source.absolutePath);
        expect(Math.abs(played - sourcePlayed)).toBeLessThan(0.05);
        expect(Math.abs(output.outputDurationSec! - output.sourceDurationSec!)).toBeLessThan(0.05);
        // The manifest states what a player plays, to the millisecond, for both files (however
        // it was measured: ffmpeg's sample counts or a decode).
        expect(Math.abs(output.outputDurationSec! - played)).toBeLessThan(0.001);
        expect(Math.abs(output.sourceDurationSec! - sourcePlayed)).toBeLessThan(0.001);
        expect(output.settings.format).toBe(format);
      }
    });
  }

  it('resamples and downmixes: wav at 8 kHz mono is pcm_s16le, 8000 Hz, 1 channel', async () => {
    const out = path.join(dir, 'out-8k-mono');
    const summary = await runExport({
      sources: [stereo],
      options: { format: 'wav', sampleRate: 8000, channels: 'mono' },
      destination: { kind: 'folder', path: out },
      tools,
    });
    const info = await probe(path.join(out, summary.outputs[0]!.outputName));
    expect(info.streams[0]).toMatchObject({ codec: 'pcm_s16le', sampleRate: 8000, channels: 1 });
    expect(Math.abs(info.durationSec! - 3)).toBeLessThan(0.05);
  });

  it('mp3 honours the bitrate; opus refuses a rate libopus cannot encode', async () => {
    const out = path.join(dir, 'out-mp3-64');
    const summary = await runExport({
      sources: [stereo],
      options: { format: 'mp3', bitrateKbps: 64, sampleRate: 22050 },
      destination: { kind: 'folder', path: out },
      tools,
    });
    const file = summary.outputs[0]!;
    // 64 kbit/s for 3 s ≈ 24 KB (plus a header frame).
    expect(file.outputBytes).toBeGreaterThan(20_000);
    expect(file.outputBytes).toBeLessThan(30_000);
    expect((await probe(path.join(out, file.outputName))).streams[0]?.sampleRate).toBe(22050);
    await expect(
      runExport({
        sources: [stereo],
        options: { format: 'opus', sampleRate: 44100 },
        destination: { kind: 'folder', path: path.join(dir, 'never') },
        tools,
      }),
    ).rejects.toThrow(/opus supports/);
  });

  it('loudnorm brings the level to about -23 LUFS and keeps the sample rate', async () => {
    const out = path.join(dir, 'out-loudnorm');
    // A quiet source (about -38 LUFS), so normalising has something to do.
    const quiet = await sourceFor(
      (await ffmpeg(['-i', stereo.absolutePath, '-af', 'volume=0.15', path.join(dir, 'quiet.wav')]),
      path.join(dir, 'quiet.wav')),
    );
    const summary = await runExport({
      sources: [quiet],
      options: { format: 'flac', loudnorm: true },
      destination: { kind: 'folder', path: out },
      tools,
    });
    const file = path.join(out, summary.outputs[0]!.outputName);
    const info = await probe(file);
    // Single-pass loudnorm would otherwise output 192 kHz.
    expect(info.streams[0]?.sampleRate).toBe(44100);
    const before = await integratedLoudness(quiet.absolutePath);
    const after = await integratedLoudness(file);
    expect(before).toBeLessThan(-30);
    expect(Math.abs(after - -23)).toBeLessThan(1.5);
    expect(summary.outputs[0]!.settings.loudnorm).toBe(true);
  });
});
