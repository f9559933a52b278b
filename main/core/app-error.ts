import type { ErrorCode } from './contract/result.ts';

/** An expected failure whose message is safe to show the user (no secrets, no stack). */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}
