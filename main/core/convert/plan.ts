// Decides what files one source becomes: how many (a split gives two), what each holds, and
// how it is produced (a byte copy or an ffmpeg conversion). Pure: the probe result is an input.
import path from 'node:path';
import type { MediaInfo } from '../ffmpeg/probe.ts';
import { firstAudioStream, hasVideoStream } from '../ffmpeg/probe.ts';
import type { ExportOptions } from '../contract/export-options.ts';
import { LOSSY_FORMATS, SPLIT_CHANNELS, type SplitChannel } from '../contract/vocabulary.ts';
import { ENCODED_FORMATS, MP4_WITH_VIDEO, containerForAudioCodec } from './output-formats.ts';
import { safeExtension } from './safe-file-name.ts';
import type { ExportSource } from './source.ts';

export type SplitSide = SplitChannel;

export interface ConversionSettings {
  format: ExportOptions['format'];
  /** The encoder used, or "copy" for a byte copy / stream copy. */
  audioCodec: string;
  bitrateKbps: number | null;
  /** Encoder quality level (-q:a) when no bitrate applies (Vorbis). */
  vbrQuality: number | null;
  sampleRate: ExportOptions['sampleRate'];
  channels: ExportOptions['channels'];
  /** For a split output: which input channel this file holds (agent LEFT, customer RIGHT). */
  splitSide: SplitSide | null;
  videoKept: boolean;
  loudnorm: boolean;
}

export type OutputRecipe =
  | { kind: 'copy' }
  | {
      kind: 'ffmpeg';
      muxer: string;
      /** Output sample rate: the requested one, or the source's when loudnorm would change it. */
      sampleRate: number | null;
      /** -ac value, if any. */
      channelCount: 1 | null;
      /** Input channel index to keep (pan) for a split, else null. */
      panChannel: 0 | 1 | null;
      audioCodec: string;
      bitrateKbps: number | null;
      vbrQuality: number | null;
      keepVideo: boolean;
      loudnorm: boolean;
    };

export interface PlannedOutput {
  source: ExportSource;
  /** The channel this file holds, for the {channel} token and the manifest. */
  channel: string;
  extension: string;
  recipe: OutputRecipe;
  settings: ConversionSettings;
  /** Input duration, for progress and the manifest; from ffprobe, else the index. */
  sourceDurationSec: number | null;
}

/** `info` is null when ffprobe could not read the source: the plan falls back to metadata. */
export function planOutputs(
  source: ExportSource,
  options: ExportOptions,
  info: MediaInfo | null,
): PlannedOutput[] {
  const sourceDurationSec = info?.durationSec ?? source.durationSec;
  const hasVideo = info ? hasVideoStream(info) : (source.contentType ?? '').startsWith('video/');
  const audio = info ? firstAudioStream(info) : null;

  if (options.format === 'original') {
    const dropVideo = hasVideo && options.video === 'audio-only';
    const container = dropVideo ? containerForAudioCodec(audio?.codec ?? 'aac') : null;
    return [
      {
        source,
        channel: source.channel,
        extension: container?.extension ?? originalExtension(source),
        recipe: dropVideo
          ? {
              kind: 'ffmpeg',
              muxer: container!.muxer,
              sampleRate: null,
              channelCount: null,
              panChannel: null,
              audioCodec: 'copy',
              bitrateKbps: null,
              vbrQuality: null,
              keepVideo: false,
              loudnorm: false,
            }
          : { kind: 'copy' },
        settings: {
          format: 'original',
          audioCodec: 'copy',
          bitrateKbps: null,
          vbrQuality: null,
          sampleRate: 'keep',
          channels: 'keep',
          splitSide: null,
          videoKept: hasVideo && !dropVideo,
          loudnorm: false,
        },
        sourceDurationSec,
      },
    ];
  }

  const format = ENCODED_FORMATS[options.format];
  const keepVideo = hasVideo && options.video === 'keep' && format.holdsVideo;
  const container = keepVideo ? MP4_WITH_VIDEO : format;
  const bitrateKbps = LOSSY_FORMATS.includes(options.format)
    ? (options.bitrateKbps ?? format.defaultBitrateKbps)
    : null;
  const vbrQuality = bitrateKbps === null ? format.vbrQuality : null;
  // Split needs two input channels. Without a probe, trust the index: "mixed" is stereo.
  const sourceChannels = audio?.channels ?? (source.channel === 'mixed' ? 2 : 1);
  const split = options.channels === 'split' && sourceChannels >= 2;
  // loudnorm resamples to 192 kHz internally and outputs that; pin the source's rate instead.
  const sampleRate =
    options.sampleRate !== 'keep'
      ? options.sampleRate
      : options.loudnorm
        ? (audio?.sampleRate ?? 48000)
        : null;

  const sides: (SplitSide | null)[] = split ? [...SPLIT_CHANNELS] : [null];
  return sides.map((side) => ({
    source,
    channel: side ?? source.channel,
    extension: container.extension,
    recipe: {
      kind: 'ffmpeg',
      muxer: container.muxer,
      sampleRate,
      channelCount: side !== null || options.channels === 'mono' ? 1 : null,
      panChannel: side === null ? null : side === 'agent' ? 0 : 1,
      audioCodec: format.audioCodec,
      bitrateKbps,
      vbrQuality,
      keepVideo,
      loudnorm: options.loudnorm,
    },
    settings: {
      format: options.format,
      audioCodec: format.audioCodec,
      bitrateKbps,
      vbrQuality,
      sampleRate: options.sampleRate,
      channels: options.channels,
      splitSide: side,
      videoKept: keepVideo,
      loudnorm: options.loudnorm,
    },
    sourceDurationSec,
  }));
}

function originalExtension(source: ExportSource): string {
  const fromFormat = safeExtension(source.format ?? '');
  if (fromFormat) return fromFormat;
  return safeExtension(path.extname(source.absolutePath)) || 'bin';
}
