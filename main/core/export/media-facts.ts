// What each archived file holds (channels, streams), for the export preview: read once per
// file content and kept, since an archived file never changes (keyed by its SHA-256), so the
// dialog's figure follows its options without reading the files again.
import type { ExportSource } from '../convert/source.ts';
import { runPool } from '../convert/worker-pool.ts';
import { locateFfmpegTools } from '../ffmpeg/locate.ts';
import { probeMedia, type MediaInfo } from '../ffmpeg/probe.ts';
import { readWavInfo } from '../ffmpeg/wav-info.ts';

/** Entries kept; past this the oldest go (each is a few hundred bytes). */
const KEPT_MAX = 20_000;
const PROBES_AT_ONCE = 4;

export class MediaFacts {
  readonly #known = new Map<string, MediaInfo | null>();
  #ffprobe: string | null | undefined;

  /**
   * One answer per source, in order: a WAV from its header; another format from ffprobe when
   * `probe` (else null: the planner then trusts the index, as the run does when a probe fails).
   */
  async of(sources: readonly ExportSource[], probe: boolean): Promise<(MediaInfo | null)[]> {
    const answers: (MediaInfo | null)[] = sources.map(() => null);
    await runPool(sources, PROBES_AT_ONCE, async (source, i) => {
      answers[i] = await this.#one(source, probe);
    });
    return answers;
  }

  async #one(source: ExportSource, probe: boolean): Promise<MediaInfo | null> {
    const known = this.#known.get(source.sha256);
    if (known !== undefined) return known;
    let info = await readWavInfo(source.absolutePath);
    const ffprobe = probe && !info ? this.#ffprobePath() : null;
    if (ffprobe) {
      info = await probeMedia(source.absolutePath, { ffprobePath: ffprobe }).catch(() => null);
    }
    // A non-WAV not probed this time is not remembered: a later, smaller selection may probe it.
    if (info === null && !ffprobe) return null;
    if (this.#known.size >= KEPT_MAX) this.#known.delete(this.#known.keys().next().value!);
    this.#known.set(source.sha256, info);
    return info;
  }

  #ffprobePath(): string | null {
    if (this.#ffprobe === undefined) {
      try {
        this.#ffprobe = locateFfmpegTools().ffprobe;
      } catch {
        this.#ffprobe = null;
      }
    }
    return this.#ffprobe;
  }
}
