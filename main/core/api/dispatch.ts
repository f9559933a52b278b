import { z } from 'zod';
import { isRequestChannel, type RequestChannel } from '../contract/channels.ts';
import {
  requestSchemas,
  type ParsedRequestArgs,
  type RequestResults,
} from '../contract/requests.ts';
import type { Result } from '../contract/result.ts';
import { AppError } from '../app-error.ts';
import { firstNulAt } from './nul-free.ts';

/** The one handler table every transport serves (Electron IPC, the bridge, the CLI). */
export type HandlerTable = {
  [K in RequestChannel]: (
    args: ParsedRequestArgs<K>,
  ) => Promise<RequestResults[K]> | RequestResults[K];
};

export type ErrorReporter = (channel: string, error: unknown) => void;

/**
 * Runs one request from an untrusted caller: refuses unknown channels, parses the arguments
 * with the channel's zod schema, and turns failures into `{ok:false}` values. Unexpected
 * errors are reported to `onUnexpected` and cross the boundary without their details.
 */
export async function dispatchRequest(
  table: HandlerTable,
  channel: unknown,
  rawArgs: unknown,
  onUnexpected: ErrorReporter = () => {},
): Promise<Result<unknown>> {
  if (!isRequestChannel(channel)) {
    return {
      ok: false,
      code: 'unknown_channel',
      message: `Refused a request on an unknown channel: ${describeChannel(channel)}.`,
    };
  }
  const nulAt = firstNulAt(rawArgs);
  if (nulAt !== null) {
    return {
      ok: false,
      code: 'invalid_arguments',
      message: `Invalid arguments for ${channel}: ${JSON.stringify(nulAt)} contains a NUL character.`,
    };
  }
  const parsed = requestSchemas[channel].safeParse(rawArgs ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      code: 'invalid_arguments',
      message: `Invalid arguments for ${channel}: ${z.prettifyError(parsed.error)}`,
    };
  }
  try {
    const handler = table[channel] as (args: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, code: error.code, message: error.message };
    onUnexpected(channel, error);
    return { ok: false, code: 'internal', message: `${channel} failed unexpectedly.` };
  }
}

function describeChannel(channel: unknown): string {
  if (typeof channel !== 'string') return `(${typeof channel})`;
  return JSON.stringify(channel.slice(0, 80));
}
