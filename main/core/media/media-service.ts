import type { Recording } from '../db/recording-row.ts';
import { recordingPeaks, type Peaks } from './peaks.ts';
import { resolveMedia } from './resolve-media.ts';

export interface MediaServiceDeps {
  recording: (id: number) => Recording;
  archiveDir: () => string;
  cacheDir: string;
  ffmpegPath: () => string;
  /** The URL a renderer plays an archived recording from (the app's protocol or the bridge's). */
  mediaUrl: (recordingId: number) => string;
}

/** Playing archived recordings offline: where to fetch one, and its waveform. */
export class MediaService {
  readonly #deps: MediaServiceDeps;

  constructor(deps: MediaServiceDeps) {
    this.#deps = deps;
  }

  async media(id: number): Promise<{ url: string; contentType: string; isVideo: boolean }> {
    const media = await resolveMedia(this.#deps.archiveDir(), this.#deps.recording(id));
    return { url: this.#deps.mediaUrl(id), contentType: media.contentType, isVideo: media.isVideo };
  }

  async peaks(id: number, buckets: number): Promise<Peaks> {
    const recording = this.#deps.recording(id);
    const media = await resolveMedia(this.#deps.archiveDir(), recording);
    return recordingPeaks({
      ffmpegPath: this.#deps.ffmpegPath(),
      file: media.absolutePath,
      sha256: recording.sha256!,
      channels: recording.channel === 'mixed' ? 2 : 1,
      buckets,
      cacheDir: this.#deps.cacheDir,
    });
  }
}
