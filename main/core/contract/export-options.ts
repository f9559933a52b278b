// What a user can ask of an export: the one schema the renderer's form, the requests of every
// transport and the conversion engine (core/convert) parse with.
import { z } from 'zod';
import {
  BITRATE_KBPS,
  EXPORT_DEFAULTS,
  LOSSY_FORMATS,
  TEMPLATE_TOKENS,
  SEC_AUDIO_FORMATS,
  channelModeSchema,
  datEncodingSchema,
  exportFormatSchema,
  loadFileKindSchema,
  productionProfileSchema,
  exportPackageSchema,
  sampleRateSchema,
  templateTokenList,
  videoModeSchema,
} from './vocabulary.ts';

/** libopus only encodes at these rates (of the ones offered). */
const OPUS_RATES: readonly number[] = [8000, 16000, 48000];

export const exportOptionsSchema = z
  .object({
    format: exportFormatSchema.default(EXPORT_DEFAULTS.format),
    /** Lossy formats only (mp3, ogg, m4a, opus); a per-format default when absent. */
    bitrateKbps: z.number().int().min(BITRATE_KBPS.min).max(BITRATE_KBPS.max).optional(),
    sampleRate: sampleRateSchema.default(EXPORT_DEFAULTS.sampleRate),
    channels: channelModeSchema.default(EXPORT_DEFAULTS.channels),
    video: videoModeSchema.default(EXPORT_DEFAULTS.video),
    /** EBU R128 loudness normalisation (ffmpeg loudnorm, -23 LUFS). */
    loudnorm: z.boolean().default(EXPORT_DEFAULTS.loudnorm),
    fileNameTemplate: z
      .string()
      .min(1)
      .max(300)
      .default(EXPORT_DEFAULTS.fileNameTemplate)
      .refine((t) => unknownTokens(t).length === 0, {
        message: `Unknown token in file name template; known: ${templateTokenList()}`,
      }),
    /** IANA zone for {date} and {time}. */
    timeZone: z
      .string()
      .max(100)
      .default(EXPORT_DEFAULTS.timeZone)
      .refine(isTimeZone, { message: 'Unknown IANA time zone' }),
    /** "bag": an RFC 8493 bag with custody records and a signed checkpoint (core/custody/bag). */
    package: exportPackageSchema.default('files'),
    /** The bag's Source-Organization (bag-info.txt); bags only, '' for none. */
    organization: z.string().trim().max(200).default(''),
    /** eDiscovery load files written beside the files (inside the bag's data/ for a bag). */
    loadFiles: z.array(loadFileKindSchema).max(2).default([]),
    /** Bates-style control numbers: prefix + zero-padded number, from controlStart. */
    controlPrefix: z
      .string()
      .max(40)
      .regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore only')
      .default('REC'),
    controlStart: z.number().int().min(0).max(999_999_999).default(1),
    datEncoding: datEncodingSchema.default('utf-8'),
    /** sec-audio: MP3 or WAV in a zipped custody bag, with metadata.csv for the regulator. */
    profile: productionProfileSchema.default('none'),
  })
  .superRefine((o, ctx) => {
    if (o.profile === 'sec-audio') {
      if (!(SEC_AUDIO_FORMATS as readonly string[]).includes(o.format)) {
        ctx.addIssue({
          code: 'custom',
          path: ['format'],
          message: `the sec-audio profile converts to ${SEC_AUDIO_FORMATS.join(' or ')}`,
        });
      }
      if (o.package !== 'bag') {
        ctx.addIssue({ code: 'custom', path: ['package'], message: 'sec-audio is a bag' });
      }
    }
    if (new Set(o.loadFiles).size !== o.loadFiles.length) {
      ctx.addIssue({ code: 'custom', path: ['loadFiles'], message: 'a load file named twice' });
    }
    if (o.format === 'original') {
      // A byte-for-byte copy cannot resample, downmix, split or normalise.
      for (const [key, neutral] of [
        ['sampleRate', 'keep'],
        ['channels', 'keep'],
        ['loudnorm', false],
      ] as const) {
        if (o[key] !== neutral) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `format "original" copies bytes as they are; ${key} must be ${String(neutral)}`,
          });
        }
      }
      if (o.bitrateKbps !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['bitrateKbps'], message: 'not with "original"' });
      }
    } else if (o.bitrateKbps !== undefined && !LOSSY_FORMATS.includes(o.format)) {
      ctx.addIssue({ code: 'custom', path: ['bitrateKbps'], message: `${o.format} is lossless` });
    }
    if (o.format === 'opus' && o.sampleRate !== 'keep' && !OPUS_RATES.includes(o.sampleRate)) {
      ctx.addIssue({
        code: 'custom',
        path: ['sampleRate'],
        message: `opus supports ${OPUS_RATES.join(', ')} Hz`,
      });
    }
  });

export type ExportOptionsInput = z.input<typeof exportOptionsSchema>;
export type ExportOptions = z.output<typeof exportOptionsSchema>;

export function parseExportOptions(input: unknown): ExportOptions {
  return exportOptionsSchema.parse(input);
}

function unknownTokens(template: string): string[] {
  const known = new Set<string>(TEMPLATE_TOKENS);
  return [...template.matchAll(/\{([^{}]*)\}/g)]
    .map((m) => m[1] ?? '')
    .filter((t) => !known.has(t));
}

export function isTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
