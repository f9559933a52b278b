// The encoder, muxer and extension behind each export format.
import type { ExportFormat } from '../contract/vocabulary.ts';

export interface EncodedFormat {
  extension: string;
  /** ffmpeg muxer, given with -f because outputs are written under temporary names. */
  muxer: string;
  audioCodec: string;
  /** Default bitrate for lossy encoders, kbit/s; null for lossless or quality-based ones. */
  defaultBitrateKbps: number | null;
  /**
   * Used when no bitrate is asked for. Vorbis gets a quality level, not a bitrate: libvorbis
   * refuses bitrates outside what the rate and channel count allow (128k at 16 kHz mono fails).
   */
  vbrQuality: number | null;
  /** Whether the container can carry the source's video stream. */
  holdsVideo: boolean;
  /**
   * Whether the file plays exactly the samples the encoder was given: the container records
   * the encoder's delay and end padding (the mp3 LAME tag, Ogg granule positions) or there is
   * none (wav, flac). ffmpeg's own count of encoded samples is then the played duration. Not
   * ipod/mp4: ffmpeg's mov muxer trims the AAC priming but plays the last frame's padding.
   */
  exactLength: boolean;
}

export const ENCODED_FORMATS: Record<Exclude<ExportFormat, 'original'>, EncodedFormat> = {
  mp3: {
    extension: 'mp3',
    muxer: 'mp3',
    audioCodec: 'libmp3lame',
    defaultBitrateKbps: 128,
    vbrQuality: null,
    holdsVideo: false,
    exactLength: true,
  },
  wav: {
    extension: 'wav',
    muxer: 'wav',
    audioCodec: 'pcm_s16le',
    defaultBitrateKbps: null,
    vbrQuality: null,
    holdsVideo: false,
    exactLength: true,
  },
  ogg: {
    extension: 'ogg',
    muxer: 'ogg',
    audioCodec: 'libvorbis',
    defaultBitrateKbps: null,
    vbrQuality: 4,
    holdsVideo: false,
    exactLength: true,
  },
  flac: {
    extension: 'flac',
    muxer: 'flac',
    audioCodec: 'flac',
    defaultBitrateKbps: null,
    vbrQuality: null,
    holdsVideo: false,
    exactLength: true,
  },
  m4a: {
    extension: 'm4a',
    muxer: 'ipod',
    audioCodec: 'aac',
    defaultBitrateKbps: 128,
    vbrQuality: null,
    holdsVideo: true,
    exactLength: false,
  },
  opus: {
    extension: 'opus',
    muxer: 'opus',
    audioCodec: 'libopus',
    defaultBitrateKbps: 64,
    vbrQuality: null,
    holdsVideo: false,
    exactLength: true,
  },
};

/** m4a with its video kept is an mp4 (the mp4 muxer, the .mp4 extension). */
export const MP4_WITH_VIDEO = { extension: 'mp4', muxer: 'mp4' } as const;

/**
 * Where an audio stream copied out of a video (format "original", audio-only) goes, by codec:
 * no re-encode, so the container must fit the codec.
 */
export function containerForAudioCodec(codec: string): { extension: string; muxer: string } {
  if (codec === 'aac' || codec === 'alac') return { extension: 'm4a', muxer: 'ipod' };
  if (codec === 'mp3') return { extension: 'mp3', muxer: 'mp3' };
  if (codec === 'opus') return { extension: 'opus', muxer: 'opus' };
  if (codec === 'vorbis') return { extension: 'ogg', muxer: 'ogg' };
  if (codec === 'flac') return { extension: 'flac', muxer: 'flac' };
  if (codec.startsWith('pcm_')) return { extension: 'wav', muxer: 'wav' };
  return { extension: 'mka', muxer: 'matroska' };
}

/** The muxers of the formats that play exactly what was encoded (see `exactLength`). */
export const EXACT_LENGTH_MUXERS: ReadonlySet<string> = new Set(
  Object.values(ENCODED_FORMATS)
    .filter((format) => format.exactLength)
    .map((format) => format.muxer),
);
