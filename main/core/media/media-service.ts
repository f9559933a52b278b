import type { Recording } from '../db/recording-row.ts';
import type { VaultReader } from '../vault/read-object.ts';
import { AppError } from '../app-error.ts';
import { recordingPeaks, type Peaks } from './peaks.ts';
import { resolveMedia } from './resolve-media.ts';
import { serveBytes, serveFile, type MediaResponse } from './serve-file.ts';

export interface MediaServiceDeps {
  recording: (id: number) => Recording;
  archiveDir: () => string;
  cacheDir: string;
  ffmpegPath: () => string;
  /** The URL a renderer plays an archived recording from (the app's protocol or the bridge's). */
  mediaUrl: (recordingId: number) => string;
  /** The team vault's objects, for recordings with no local copy (an attached vault). */
  vault?: VaultReader;
}

/** Playing archived recordings: where to fetch one, its bytes (local or vault), its waveform. */
export class MediaService {
  readonly #deps: MediaServiceDeps;

  constructor(deps: MediaServiceDeps) {
    this.#deps = deps;
  }

  /**
   * Where the player loads a recording from, and whether the bytes are local or streamed from
   * the team vault; a vault object that is not what the index records is refused here, by name.
   */
  async media(
    id: number,
  ): Promise<{ url: string; contentType: string; isVideo: boolean; copy: 'local' | 'vault' }> {
    const media = await this.#resolve(this.#deps.recording(id));
    if (media.where === 'vault') await this.#deps.vault!.check(media.object);
    return {
      url: this.#deps.mediaUrl(id),
      contentType: media.contentType,
      isVideo: media.isVideo,
      copy: media.where,
    };
  }

  /**
   * One GET or HEAD of the media URL, for the app's protocol and the bridge's route alike: a
   * local file, or the vault's object by Range GETs (a whole read hashed against the index).
   */
  async serve(
    id: number,
    method: string,
    range: string | null | undefined,
  ): Promise<MediaResponse> {
    let media;
    try {
      media = await this.#resolve(this.#deps.recording(id));
    } catch {
      return { status: 404, headers: {}, body: null };
    }
    if (media.where === 'local') {
      return serveFile(media.absolutePath, media.contentType, method, range);
    }
    const { object } = media;
    const vault = this.#deps.vault!;
    try {
      return await serveBytes(object.size, media.contentType, method, range, (start, end, whole) =>
        whole ? vault.whole(object) : vault.range(object, start, end),
      );
    } catch (error) {
      const status = error instanceof AppError && error.code === 'not_found' ? 404 : 502;
      return { status, headers: {}, body: null };
    }
  }

  async peaks(id: number, buckets: number): Promise<Peaks> {
    const recording = this.#deps.recording(id);
    const media = await this.#resolve(recording);
    if (media.where === 'vault') {
      throw new AppError(
        'unsupported',
        `The waveform is drawn from a copy on this computer, and ${recording.remoteId} is only in the team vault: keep an offline copy to see it.`,
      );
    }
    return recordingPeaks({
      ffmpegPath: this.#deps.ffmpegPath(),
      file: media.absolutePath,
      sha256: recording.sha256!,
      channels: recording.channel === 'mixed' ? 2 : 1,
      buckets,
      cacheDir: this.#deps.cacheDir,
    });
  }

  #resolve(recording: Recording) {
    return resolveMedia(this.#deps.archiveDir(), recording, this.#deps.vault);
  }
}
