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

/** A failed result in plain words, for an alert. */
export function describeFailure(failure: Failure): string {
  const message = failure.message?.trim();
  return message ? message : (FALLBACK[failure.code] ?? FALLBACK.internal);
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
