import type { ErrorCode, Result } from '../core/contract/result.ts';

/** The engine refused a request: its `{ok:false}` answer, thrown for main.ts to print. */
export class Refusal extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'Refusal';
    this.code = code;
  }
}

/** The value of an answer, or its refusal thrown. */
export async function unwrap<T>(answer: Promise<Result<T>>): Promise<T> {
  const result = await answer;
  if (result.ok) return result.value;
  throw new Refusal(result.code, result.message);
}
