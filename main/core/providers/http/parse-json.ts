// A provider's JSON reply, checked with its zod schema at the boundary: malformed JSON or a
// field we rely on that is missing or of the wrong type is an `invalid_response` naming it.
import { withDetails } from '../../contract/failure-details.ts';
import type { z } from 'zod';
import { PROVIDER_LABELS, ProviderError } from '../errors.ts';
import type { ProviderKind } from '../types.ts';

export interface ParseContext {
  provider: ProviderKind;
  endpoint: string;
  requestId?: string | null;
  status?: number | null;
}

/** Formats a zod issue path like `data[2].status`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

/** Parses a JSON body with a zod schema; any failure is an `invalid_response` naming the field. */
export function parseJson<S extends z.ZodType>(
  schema: S,
  text: string,
  context: ParseContext,
): z.output<S> {
  const label = PROVIDER_LABELS[context.provider];
  const invalid = (message: string, more: { cause?: unknown; field?: string }): ProviderError =>
    new ProviderError({
      provider: context.provider,
      kind: 'invalid_response',
      endpoint: context.endpoint,
      message,
      status: context.status ?? null,
      requestId: context.requestId ?? null,
      ...more,
    });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw invalid(
      withDetails(
        `${label} sent a reply Recvault could not read. Retry; if it happens again, report it to ${label}.`,
        [`malformed JSON from ${context.endpoint}`],
      ),
      { cause },
    );
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = formatFieldPath(issue?.path ?? []);
  throw invalid(
    withDetails(
      `${label} sent a reply that is not as documented (its ${field} field), so Recvault does not trust it. Retry; if it happens again, report it to ${label}.`,
      [`field ${field}: ${issue?.message ?? 'invalid'}`, `from ${context.endpoint}`],
    ),
    { field },
  );
}
