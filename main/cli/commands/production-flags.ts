// The export command's production flags: eDiscovery load files, Bates-style control numbers
// and the regulator audio profile. Parsed here; the contract's schema checks the combination.
import type { ExportOptionsInput } from '../../core/contract/export-options.ts';
import {
  DAT_ENCODINGS,
  LOAD_FILE_KINDS,
  PRODUCTION_PROFILES,
  SEC_AUDIO_FORMATS,
  type LoadFileKind,
} from '../../core/contract/vocabulary.ts';
import { nonNegativeInt, oneOf } from '../args.ts';
import { UsageError } from '../usage-error.ts';

export const PRODUCTION_OPTIONS = {
  'load-file': { type: 'string' },
  'control-prefix': { type: 'string' },
  'control-start': { type: 'string' },
  'dat-encoding': { type: 'string' },
  profile: { type: 'string' },
} as const;

export const PRODUCTION_HELP = `--load-file ${LOAD_FILE_KINDS.join('|')}[,…] adds eDiscovery load files beside the files (in a bag's
data/): loadfile.dat (Concordance/Relativity DAT: fields separated by 0x14, qualified by þ,
® for a line break and between values, UTF-8 with a BOM, or --dat-encoding ${DAT_ENCODINGS.join('|')})
and loadfile.xml (EDRM XML 1.2). No OPT image file: audio has no page images.
--control-prefix P --control-start N number the files P00000001… (default REC, from 1), in
recording id order, the same on every run of the same selection; the audit entry keeps them.
--profile sec-audio is a regulator's audio production: ${SEC_AUDIO_FORMATS.join(' or ')} (--format, default ${SEC_AUDIO_FORMATS[0]}),
metadata.csv (caller, callee, numbers, date, time and zone, duration, file id), in a bag, as a
.zip (--zip) that unzip and 7-Zip open.`;

type Values = Record<string, string | boolean | undefined>;

export function productionOptions(values: Values): Partial<ExportOptionsInput> {
  const given = (key: string) => (typeof values[key] === 'string' ? values[key] : undefined);
  const loadFile = given('load-file');
  const prefix = given('control-prefix');
  const start = nonNegativeInt(given('control-start'), '--control-start');
  const encoding = given('dat-encoding');
  const profile = given('profile');
  const loadFiles: LoadFileKind[] | undefined = loadFile
    ?.split(',')
    .map((kind) =>
      oneOf(LOAD_FILE_KINDS, kind.trim(), (k) => `--load-file takes ${k} (comma-separated).`),
    );
  const parsedProfile =
    profile === undefined
      ? undefined
      : oneOf(PRODUCTION_PROFILES, profile, (p) => `--profile takes ${p}.`);
  if (encoding !== undefined && !loadFiles?.includes('dat'))
    throw new UsageError('--dat-encoding is for --load-file dat.');
  return {
    ...(loadFiles === undefined ? {} : { loadFiles }),
    ...(prefix === undefined ? {} : { controlPrefix: prefix }),
    ...(start === undefined ? {} : { controlStart: start }),
    ...(encoding === undefined
      ? {}
      : { datEncoding: oneOf(DAT_ENCODINGS, encoding, (e) => `--dat-encoding takes ${e}.`) }),
    ...(parsedProfile === 'sec-audio'
      ? {
          profile: parsedProfile,
          package: 'bag' as const,
          ...(given('format') === undefined ? { format: SEC_AUDIO_FORMATS[0] } : {}),
        }
      : parsedProfile === undefined
        ? {}
        : { profile: parsedProfile }),
  };
}
