import { parseArgs, type ParseArgsConfig } from 'node:util';
import { orList } from '../core/contract/providers.ts';
import { resolveWhen, WHEN_HELP } from '../core/contract/relative-time.ts';
import { envVarNameSchema, isoDate as isoDateSchema } from '../core/contract/requests.ts';
import { UsageError } from './usage-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes. */
export const GLOBAL_OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies Options;

/** Parses one command's argv strictly: an unknown option is a usage error, never ignored. */
export function parseCommand<O extends Options>(
  argv: string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...options },
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[\w+\]: /, ''));
  }
}

export function requireString(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new UsageError(`${flag} is required.`);
  return value;
}

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} takes a whole number above 0.`);
  return n;
}

export function nonNegativeInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) {
    throw new UsageError(`${flag} takes a whole number of 0 or more.`);
  }
  return n;
}

export function isoDate(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isoDateSchema.safeParse(value).success || Number.isNaN(Date.parse(value))) {
    throw new UsageError(`${flag} takes a date such as 2026-01-31.`);
  }
  return value;
}

/** A --since/--until value: a date, a date and time, or a window back from now (`2d`, `12h`). */
export function when(
  value: string | undefined,
  flag: string,
  now = new Date(),
): string | undefined {
  if (value === undefined) return undefined;
  const resolved = resolveWhen(value, now);
  if (resolved === null) throw new UsageError(`${flag} takes ${WHEN_HELP}.`);
  return resolved;
}

export function envVarName(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!envVarNameSchema.safeParse(value).success) {
    throw new UsageError(
      `${flag} takes the NAME of an environment variable (such as KALLGLOT_API_KEY), not the key itself.`,
    );
  }
  return value;
}

/** The word `value` names in `words`, or a usage error saying which words there are. */
export function oneOf<W extends string>(
  words: readonly W[],
  value: string,
  refusal: (choices: string) => string,
): W {
  const word = words.find((w) => w === value);
  if (word === undefined) throw new UsageError(refusal(orList(words)));
  return word;
}
