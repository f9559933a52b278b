// What a user can ask of an export. Parsed with zod because it arrives over IPC / the CLI.
import { z } from 'zod';
import { TEMPLATE_TOKENS } from './file-name-template.ts';

export const EXPORT_FORMATS = ['original', 'mp3', 'wav', 'ogg', 'flac', 'm4a', 'opus'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const SAMPLE_RATES = [8000, 16000, 22050, 44100, 48000] as const;
/** libopus only encodes at these rates (of the ones offered). */
const OPUS_RATES: readonly number[] = [8000, 16000, 48000];

export const DEFAULT_FILE_NAME_TEMPLATE = '{provider}_{date}_{time}_{recording}_{channel}';

export const ExportOptionsSchema = z
  .object({
    format: z.enum(EXPORT_FORMATS),
    /** Lossy formats only (mp3, ogg, m4a, opus); a per-format default when absent. */
    bitrateKbps: z.number().int().min(8).max(512).optional(),
    sampleRate: z
      .union([z.literal('keep'), ...SAMPLE_RATES.map((rate) => z.literal(rate))])
      .default('keep'),
    /** split: a stereo recording → agent file (LEFT) + customer file (RIGHT). */
    channels: z.enum(['keep', 'mono', 'split']).default('keep'),
    /** For sources with a video stream: keep it (where the format can hold it) or drop it. */
    video: z.enum(['keep', 'audio-only']).default('keep'),
    /** EBU R128 loudness normalisation (ffmpeg loudnorm, -23 LUFS). */
    loudnorm: z.boolean().default(false),
    fileNameTemplate: z
      .string()
      .min(1)
      .max(500)
      .default(DEFAULT_FILE_NAME_TEMPLATE)
      .refine((t) => unknownTokens(t).length === 0, {
        message: `Unknown token in file name template; known: ${TEMPLATE_TOKENS.map((t) => `{${t}}`).join(' ')}`,
      }),
    /** IANA zone for {date} and {time}. */
    timeZone: z.string().default('UTC').refine(isTimeZone, { message: 'Unknown IANA time zone' }),
  })
  .superRefine((o, ctx) => {
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
    }
    if (o.bitrateKbps !== undefined && (o.format === 'wav' || o.format === 'flac')) {
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

export type ExportOptionsInput = z.input<typeof ExportOptionsSchema>;
export type ExportOptions = z.output<typeof ExportOptionsSchema>;

export function parseExportOptions(input: unknown): ExportOptions {
  return ExportOptionsSchema.parse(input);
}

function unknownTokens(template: string): string[] {
  const known = new Set<string>(TEMPLATE_TOKENS);
  return [...template.matchAll(/\{([^{}]*)\}/g)]
    .map((m) => m[1] ?? '')
    .filter((t) => !known.has(t));
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
