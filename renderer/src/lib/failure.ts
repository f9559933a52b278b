import { splitDetails } from '../../../main/core/contract/failure-details.ts';
import type { ErrorCode, Result } from '../../../main/core/contract/result.ts';

type Failure = Extract<Result<unknown>, { ok: false }>;

// The engine's messages are already meant for people; these cover an empty one.
const FALLBACK: Record<ErrorCode, string> = {
  unknown_channel: 'This version of the engine does not offer that yet.',
  invalid_arguments: 'Some of the values entered are not valid.',
  not_found: 'That item no longer exists.',
  conflict: 'That conflicts with something that already exists.',
  auth: 'The provider refused the credentials.',
  unreachable: 'The provider could not be reached.',
  provider: 'The provider reported an error.',
  storage: 'The archive folder could not be read or written.',
  busy: 'Recvault is busy with another task; try again shortly.',
  cancelled: 'Cancelled.',
  unsupported: 'That is not supported here.',
  internal: 'Something went wrong inside Recvault.',
};

/** Field names of requests as the forms label them (the rest are split into words). */
const FIELD_WORDS: Record<string, string> = {
  host: 'Host URL',
  baseUrl: 'Base URL',
  botId: 'Bot ID',
  clientId: 'Client ID',
  organizationId: 'Organization ID',
  requestsPerMinute: 'Requests per minute',
  outputDir: 'Export folder',
  archiveDir: 'Archive folder',
};

function fieldWords(path: string): string {
  const last =
    path
      .split('.')
      .filter((part) => !/^\d+$/.test(part))
      .at(-1) ?? path;
  if (FIELD_WORDS[last]) return FIELD_WORDS[last];
  const words = last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The engine's schema refusal ("Invalid arguments for accountsAdd: ✖ Invalid URL → at host")
 * as a sentence that names the field the way the form does, without the channel's name.
 */
function plainRefusal(message: string): string {
  const body = message.replace(/^Invalid arguments for \w+:\s*/, '');
  const issues = body
    .split('✖')
    .map((issue) => issue.trim())
    .filter((issue) => issue !== '')
    .map((issue) => {
      const [what = '', where] = issue.split(/\s*→ at\s*/);
      const reason = what.trim().replace(/\.$/, '');
      return where ? `${fieldWords(where.trim())}: ${reason}` : reason;
    });
  return issues.length > 0 ? `Not saved: ${issues.join('; ')}.` : FALLBACK.invalid_arguments;
}

/** A failed result in plain words, for an alert. */
export function describeFailure(failure: Failure): string {
  const message = failure.message?.trim();
  if (!message) return FALLBACK[failure.code] ?? FALLBACK.internal;
  if (failure.code === 'invalid_arguments' && /^Invalid arguments for \w+:/.test(message)) {
    return plainRefusal(message);
  }
  // "settingsUpdate failed unexpectedly.": the channel's name means nothing to a user.
  if (failure.code === 'internal' && /^\w+ failed unexpectedly\.$/.test(message)) {
    return `${FALLBACK.internal} The details are in its log; try again, and report it if it happens again.`;
  }
  return message;
}

/** A failure from a promise that rejected instead of resolving to a Result (a transport bug). */
export function describeThrown(error: unknown): string {
  return error instanceof Error && error.message
    ? `Unexpected error: ${error.message}`
    : 'Unexpected error.';
}

/** Calls the API and turns any outcome into a Result, so a rejected promise is never lost. */
export async function call<T>(request: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await request();
  } catch (error) {
    return { ok: false, code: 'internal', message: describeThrown(error) };
  }
}

/**
 * A stored failure (one reason a line) as the app shows it: the plain sentences, and the
 * technical details (status, endpoint, request id) kept for a "Details" disclosure.
 */
export function failureParts(message: string): { text: string; details: string[] } {
  const lines = message.split('\n').filter((line) => line.trim() !== '');
  const parts = lines.map(splitDetails);
  return {
    text: parts.map((part) => part.text).join('\n'),
    details: parts.flatMap((part) => (part.details ? [part.details] : [])),
  };
}
