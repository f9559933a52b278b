/** What crosses IPC: errors lose everything but their message, so expected ones are values. */
export type ErrorCode =
  | 'unknown_channel'
  | 'invalid_arguments'
  | 'not_found'
  | 'conflict'
  | 'auth'
  | 'unreachable'
  | 'provider'
  | 'storage'
  | 'busy'
  | 'cancelled'
  | 'unsupported'
  | 'internal';

export type Result<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, code, message };
}
