import type { RequestResults } from '../../../main/core/contract/requests.ts';
import { call, describeFailure } from '../lib/failure.ts';
import type { SoloMode } from './channel-router.ts';
import type { PlayerCommand } from './player-keys.ts';
import type { ApiOf } from './types.ts';

export const RATES = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;
export const PEAK_BUCKETS = 800;

/** The subset of HTMLMediaElement the player drives (a fake in tests). */
export interface MediaLike {
  currentTime: number;
  duration: number;
  paused: boolean;
  playbackRate: number;
  play(): Promise<void>;
  pause(): void;
}

/** The router for channel solo; absent for mono files and video. */
export interface RouterLike {
  setMode(mode: SoloMode): void;
  resume(): void;
}

/**
 * One recording in the player: where to stream it from, its waveform peaks, and the playback
 * state mirrored from the media element. Loading another recording drops late answers for the
 * previous one.
 */
export class PlayerState {
  recordingId = $state<number | null>(null);
  media = $state.raw<RequestResults['recordingMedia'] | null>(null);
  peaks = $state.raw<RequestResults['recordingPeaks'] | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  peaksError = $state<string | null>(null);
  /** Why the media element could not play (decode error, missing file). */
  playbackError = $state<string | null>(null);
  /** An offline copy from the team vault being made, and what came of it. */
  copying = $state(false);
  copyNote = $state<string | null>(null);
  copyError = $state<string | null>(null);

  currentTime = $state(0);
  duration = $state(0);
  paused = $state(true);
  rate = $state(1);
  channelMode = $state<SoloMode>('both');

  private element: MediaLike | null = null;
  private router: RouterLike | null = null;
  private generation = 0;

  constructor(private readonly api: ApiOf<'recordingMedia' | 'recordingPeaks' | 'vaultFetch'>) {}

  /** Stereo peaks: the recording has two sides the user can solo. */
  get isStereo(): boolean {
    return (this.peaks?.channels.length ?? 0) >= 2 && !this.media?.isVideo;
  }

  async load(recordingId: number | null): Promise<void> {
    if (recordingId === this.recordingId) return;
    const generation = ++this.generation;
    this.recordingId = recordingId;
    this.media = null;
    this.peaks = null;
    this.error = this.peaksError = this.playbackError = this.copyNote = this.copyError = null;
    this.copying = false;
    this.currentTime = 0;
    this.duration = 0;
    this.paused = true;
    this.channelMode = 'both';
    if (recordingId === null) return;
    this.loading = true;
    const [media, peaks] = await Promise.all([
      call(() => this.api.recordingMedia({ id: recordingId })),
      call(() => this.api.recordingPeaks({ id: recordingId, buckets: PEAK_BUCKETS })),
    ]);
    if (generation !== this.generation) return;
    this.loading = false;
    if (media.ok) this.media = media.value;
    else this.error = describeFailure(media);
    if (peaks.ok) {
      this.peaks = peaks.value;
      if (!this.duration) this.duration = peaks.value.durationSec;
    } else this.peaksError = describeFailure(peaks);
  }

  /**
   * Keeps an offline copy of a recording only the team vault holds (downloaded, hash-checked,
   * audited), then plays it from this computer and draws its waveform.
   */
  async keepOfflineCopy(): Promise<void> {
    const recordingId = this.recordingId;
    if (recordingId === null || this.media?.copy !== 'vault' || this.copying) return;
    const generation = this.generation;
    this.copying = true;
    this.copyError = null;
    const copied = await call(() => this.api.vaultFetch({ recordingId }));
    if (generation !== this.generation) return;
    this.copying = false;
    if (!copied.ok) {
      this.copyError = describeFailure(copied);
      return;
    }
    const [media, peaks] = await Promise.all([
      call(() => this.api.recordingMedia({ id: recordingId })),
      call(() => this.api.recordingPeaks({ id: recordingId, buckets: PEAK_BUCKETS })),
    ]);
    if (generation !== this.generation) return;
    this.copyNote = `Offline copy kept on this computer: ${copied.value.localPath} (SHA-256 checked against the index).`;
    if (media.ok) this.media = media.value;
    if (peaks.ok) {
      this.peaks = peaks.value;
      this.peaksError = null;
    }
  }

  attach(element: MediaLike | null, router: RouterLike | null = null): void {
    this.element = element;
    this.router = router;
    if (element) element.playbackRate = this.rate;
  }

  /** Copies the element's state after its events (timeupdate, play, pause, durationchange). */
  sync(): void {
    const element = this.element;
    if (!element) return;
    this.currentTime = element.currentTime;
    if (Number.isFinite(element.duration) && element.duration > 0) this.duration = element.duration;
    this.paused = element.paused;
  }

  async toggle(): Promise<void> {
    if (!this.element) return;
    if (this.element.paused) await this.play();
    else this.element.pause();
    this.sync();
  }

  async play(): Promise<void> {
    if (!this.element) return;
    this.router?.resume();
    try {
      await this.element.play();
      this.playbackError = null;
    } catch (error) {
      // A pause() racing play() rejects with AbortError: not a failure worth showing.
      if (!(error instanceof DOMException && error.name === 'AbortError')) {
        this.playbackError = 'This recording could not be played.';
      }
    }
    this.sync();
  }

  pause(): void {
    this.element?.pause();
    this.sync();
  }

  seekTo(seconds: number): void {
    if (!this.element) return;
    const end = this.duration || this.element.duration || 0;
    this.element.currentTime = Math.min(Math.max(0, seconds), end > 0 ? end : Infinity);
    this.currentTime = this.element.currentTime;
  }

  seekBy(seconds: number): void {
    this.seekTo((this.element?.currentTime ?? this.currentTime) + seconds);
  }

  setRate(rate: number): void {
    this.rate = Math.min(2, Math.max(0.5, rate));
    if (this.element) this.element.playbackRate = this.rate;
  }

  /** One step along RATES (the `<` and `>` keys). */
  stepRate(step: number): void {
    const index = RATES.findIndex((rate) => rate >= this.rate);
    const next = RATES[Math.min(RATES.length - 1, Math.max(0, (index < 0 ? 2 : index) + step))];
    this.setRate(next ?? 1);
  }

  setChannelMode(mode: SoloMode): void {
    this.channelMode = mode;
    this.router?.setMode(mode);
  }

  /** Carries out a keyboard command; false when there is nothing to play. */
  run(command: Exclude<PlayerCommand, { kind: 'focusSearch' }>): boolean {
    if (!this.element) return false;
    if (command.kind === 'toggle') void this.toggle();
    else if (command.kind === 'pause') this.pause();
    else if (command.kind === 'seekBy') this.seekBy(command.seconds);
    else this.stepRate(command.step);
    return true;
  }
}
