import { describe, expect, it, vi } from 'vitest';
import { fail, type Result } from '../../../main/core/contract/result.ts';
import type { RequestResults } from '../../../main/core/contract/requests.ts';
import { createFakeApi, deferred } from '../test-support/fake-api.ts';
import { PlayerState, type MediaLike } from './player.svelte.ts';

function fakeMedia(duration = 100): MediaLike & { play: ReturnType<typeof vi.fn> } {
  const media = {
    currentTime: 0,
    duration,
    paused: true,
    playbackRate: 1,
    play: vi.fn(async () => {
      media.paused = false;
    }),
    pause: vi.fn(() => {
      media.paused = true;
    }),
  };
  return media;
}

const media = (url: string): Result<RequestResults['recordingMedia']> => ({
  ok: true,
  value: { url, contentType: 'audio/wav', isVideo: false, copy: 'local' },
});

describe('PlayerState', () => {
  it('carries out the keyboard commands on the media element', async () => {
    const player = new PlayerState(createFakeApi());
    const element = fakeMedia(100);
    player.attach(element);
    player.run({ kind: 'toggle' });
    await vi.waitFor(() => expect(player.paused).toBe(false));
    player.run({ kind: 'seekBy', seconds: 30 });
    player.run({ kind: 'seekBy', seconds: -5 });
    expect(element.currentTime).toBe(25);
    player.run({ kind: 'seekBy', seconds: -60 });
    expect(element.currentTime).toBe(0);
    player.seekTo(500);
    expect(element.currentTime).toBe(100);
    player.run({ kind: 'pause' });
    expect(element.paused).toBe(true);
  });

  it('steps speed between 0.5× and 2×', () => {
    const player = new PlayerState(createFakeApi());
    const element = fakeMedia();
    player.attach(element);
    player.run({ kind: 'rateBy', step: 1 });
    expect(element.playbackRate).toBe(1.25);
    for (let i = 0; i < 10; i++) player.run({ kind: 'rateBy', step: 1 });
    expect(player.rate).toBe(2);
    for (let i = 0; i < 10; i++) player.run({ kind: 'rateBy', step: -1 });
    expect(player.rate).toBe(0.5);
  });

  it('does nothing without a recording', () => {
    const player = new PlayerState(createFakeApi());
    expect(player.run({ kind: 'toggle' })).toBe(false);
  });

  it('routes the channel choice to the router', () => {
    const player = new PlayerState(createFakeApi());
    const router = { setMode: vi.fn(), resume: vi.fn() };
    player.attach(fakeMedia(), router);
    player.setChannelMode('agent');
    expect(router.setMode).toHaveBeenCalledWith('agent');
    expect(player.channelMode).toBe('agent');
  });

  it('keeps only the newest recording when answers arrive late', async () => {
    const api = createFakeApi();
    const first = deferred<Result<RequestResults['recordingMedia']>>();
    api.recordingMedia.mockReturnValueOnce(first.promise).mockResolvedValueOnce(media('/m/2'));
    api.recordingPeaks.mockResolvedValue({
      ok: true,
      value: { channels: [[0.1], [0.2]], durationSec: 3 },
    });
    const player = new PlayerState(api);
    const loading1 = player.load(1);
    await player.load(2);
    first.resolve(media('/m/1'));
    await loading1;
    expect(player.media?.url).toBe('/m/2');
    expect(player.isStereo).toBe(true);
  });

  it('says why a recording cannot be opened', async () => {
    const api = createFakeApi();
    api.recordingMedia.mockResolvedValue(
      fail('not_found', 'The file is missing from the archive.'),
    );
    api.recordingPeaks.mockResolvedValue(fail('internal', ''));
    const player = new PlayerState(api);
    await player.load(7);
    expect(player.error).toBe('The file is missing from the archive.');
    expect(player.peaksError).toBe('Something went wrong inside Recvault.');
  });

  it('keeps an offline copy of a recording only the team vault holds, then plays it locally', async () => {
    const api = createFakeApi();
    const vaultOnly = {
      url: '/m/9',
      contentType: 'audio/wav',
      isVideo: false,
      copy: 'vault' as const,
    };
    api.recordingMedia
      .mockResolvedValueOnce({ ok: true, value: vaultOnly })
      .mockResolvedValueOnce({ ok: true, value: { ...vaultOnly, copy: 'local' } });
    api.recordingPeaks
      .mockResolvedValueOnce(fail('unsupported', 'The waveform is drawn from an offline copy.'))
      .mockResolvedValueOnce({ ok: true, value: { channels: [[0.5]], durationSec: 3 } });
    api.vaultFetch.mockResolvedValueOnce({
      ok: true,
      value: {
        recordingId: 9,
        remoteId: 'rec_9',
        localPath: 'kallglot/a/rec_9.wav',
        sha256: 'a'.repeat(64),
        bytes: 10,
        alreadyLocal: false,
      },
    });
    const player = new PlayerState(api);
    await player.load(9);
    expect(player.media?.copy).toBe('vault');
    await player.keepOfflineCopy();
    expect(api.vaultFetch).toHaveBeenCalledWith({ recordingId: 9 });
    expect(player.media?.copy).toBe('local');
    expect(player.peaks?.channels).toEqual([[0.5]]);
    expect(player.peaksError).toBeNull();
    expect(player.copyNote).toContain('kallglot/a/rec_9.wav');
  });

  it('says why an offline copy was refused and keeps streaming from the vault', async () => {
    const api = createFakeApi();
    api.recordingMedia.mockResolvedValue({
      ok: true,
      value: { url: '/m/4', contentType: 'audio/wav', isVideo: false, copy: 'vault' },
    });
    api.vaultFetch.mockResolvedValueOnce(
      fail('storage', 'Recording rec_4 (id 4): the team vault’s object holds other bytes.'),
    );
    const player = new PlayerState(api);
    await player.load(4);
    await player.keepOfflineCopy();
    expect(player.copyError).toBe(
      'Recording rec_4 (id 4): the team vault’s object holds other bytes.',
    );
    expect(player.media?.copy).toBe('vault');
    expect(player.copying).toBe(false);
  });
});
