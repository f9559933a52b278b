// Channel split of a mixed stereo recording (agent LEFT, customer RIGHT), and video handling
// for video/mp4 sources.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../../../main/core/convert/run-export.ts';
import type { ExportSource } from '../../../main/core/convert/source.ts';
import {
  makeMonoWav,
  makeStereoMixed,
  makeVideoMp4,
  probe,
  sourceFor,
  tools,
  zeroCrossingHz,
} from '../../support/media.ts';
import { makeTempDir, removeDir } from '../../support/tmp.ts';

let dir: string;
let mixed: ExportSource;
let video: ExportSource;

beforeAll(async () => {
  dir = await makeTempDir('split');
  mixed = await sourceFor(await makeStereoMixed(path.join(dir, 'mixed.wav'), 3), {
    remoteId: 'rec_mixed',
  });
  video = await sourceFor(await makeVideoMp4(path.join(dir, 'call.mp4'), 2), {
    provider: 'envoy',
    sessionId: null,
    callId: 'call_1',
    remoteId: 'call_1',
    contentType: 'video/mp4',
  });
});
afterAll(() => removeDir(dir));

describe('channel split', () => {
  it('puts the LEFT 440 Hz tone in the agent file and the RIGHT 1000 Hz tone in the customer file', async () => {
    const out = path.join(dir, 'split');
    const summary = await runExport({
      sources: [mixed],
      options: { format: 'flac', channels: 'split', fileNameTemplate: '{recording}_{channel}' },
      destination: { kind: 'folder', path: out },
      tools,
    });
    expect(summary.failures).toEqual([]);
    expect(summary.outputs.map((o) => [o.outputName, o.channel, o.settings.splitSide])).toEqual([
      ['rec_mixed_agent.flac', 'agent', 'agent'],
      ['rec_mixed_customer.flac', 'customer', 'customer'],
    ]);
    const [agent, customer] = summary.outputs.map((o) => path.join(out, o.outputName));
    for (const file of [agent!, customer!]) {
      expect((await probe(file)).streams[0]).toMatchObject({ codec: 'flac', channels: 1 });
    }
    // Zero-crossing rate of a pure tone gives its frequency; a swapped split fails both.
    expect(await zeroCrossingHz(agent!)).toBeCloseTo(440, -1);
    expect(await zeroCrossingHz(customer!)).toBeCloseTo(1000, -1);
    // The source is counted once in the totals even though it gave two files.
    expect(summary.totals.sourceBytes).toBe(summary.outputs[0]!.sourceBytes);
  });

  it('leaves a mono recording as one file when split is asked for', async () => {
    const mono = await sourceFor(await makeMonoWav(path.join(dir, 'agent.wav')), {
      channel: 'agent',
    });
    const summary = await runExport({
      sources: [mono],
      options: { format: 'wav', channels: 'split' },
      destination: { kind: 'folder', path: path.join(dir, 'split-mono') },
      tools,
    });
    expect(summary.outputs).toHaveLength(1);
    expect(summary.outputs[0]!.channel).toBe('agent');
    expect(summary.outputs[0]!.settings.splitSide).toBeNull();
  });
});

describe('video sources', () => {
  it('audio-only export of a video drops the video stream', async () => {
    const out = path.join(dir, 'audio-only');
    const summary = await runExport({
      sources: [video],
      options: { format: 'm4a', video: 'audio-only' },
      destination: { kind: 'folder', path: out },
      tools,
    });
    const file = summary.outputs[0]!;
    expect(file.outputName.endsWith('.m4a')).toBe(true);
    expect(file.settings.videoKept).toBe(false);
    const info = await probe(path.join(out, file.outputName));
    expect(info.streams.map((s) => s.type)).toEqual(['audio']);
  });

  it('keeping the video with m4a gives an mp4 with the original video stream copied', async () => {
    const out = path.join(dir, 'keep-video');
    const summary = await runExport({
      sources: [video],
      options: { format: 'm4a', video: 'keep' },
      destination: { kind: 'folder', path: out },
      tools,
    });
    const file = summary.outputs[0]!;
    expect(file.outputName.endsWith('.mp4')).toBe(true);
    expect(file.settings.videoKept).toBe(true);
    const info = await probe(path.join(out, file.outputName));
    expect(info.streams.find((s) => s.type === 'video')).toMatchObject({
      codec: 'h264',
      width: 320,
      height: 240,
    });
    expect(info.streams.find((s) => s.type === 'audio')?.codec).toBe('aac');
  });

  it('"original" + audio-only copies the audio stream out without re-encoding', async () => {
    const out = path.join(dir, 'original-audio');
    const summary = await runExport({
      sources: [video],
      options: { format: 'original', video: 'audio-only' },
      destination: { kind: 'folder', path: out },
      tools,
    });
    const file = summary.outputs[0]!;
    expect(file.outputName.endsWith('.m4a')).toBe(true);
    expect(file.settings.audioCodec).toBe('copy');
    const info = await probe(path.join(out, file.outputName));
    expect(info.streams).toEqual([{ codec: 'aac', type: 'audio', sampleRate: 48000, channels: 1 }]);
  });

  it('formats that cannot hold video drop it even when "keep" is asked', async () => {
    const out = path.join(dir, 'mp3-of-video');
    const summary = await runExport({
      sources: [video],
      options: { format: 'mp3', video: 'keep' },
      destination: { kind: 'folder', path: out },
      tools,
    });
    const info = await probe(path.join(out, summary.outputs[0]!.outputName));
    expect(info.streams.map((s) => s.type)).toEqual(['audio']);
    expect(summary.outputs[0]!.settings.videoKept).toBe(false);
  });
});
