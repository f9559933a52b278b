import { z } from 'zod';
import type { RecordingSortKey, SortDirection } from './sort-keys.ts';
import { RECORDING_SORT_KEYS } from './sort-keys.ts';

// A keyset cursor: the sort key and id of the last row served, plus the sort it belongs to, so
// a cursor from one sort is refused by another instead of skipping rows. Opaque to callers
// (base64url JSON) because its content is not an API.

export interface SearchCursor {
  sort: RecordingSortKey;
  direction: SortDirection;
  value: string | number;
  id: number;
}

const cursorSchema = z.tuple([
  z.enum(RECORDING_SORT_KEYS as [RecordingSortKey, ...RecordingSortKey[]]),
  z.enum(['asc', 'desc']),
  z.union([z.string().max(200), z.number()]),
  z.number().int().positive(),
]);

export class InvalidCursorError extends Error {
  constructor(message = 'This page cursor is not valid for this search.') {
    super(message);
    this.name = 'InvalidCursorError';
  }
}

export function encodeCursor(cursor: SearchCursor): string {
  const tuple = [cursor.sort, cursor.direction, cursor.value, cursor.id];
  return Buffer.from(JSON.stringify(tuple), 'utf8').toString('base64url');
}

export function decodeCursor(encoded: string): SearchCursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) throw new InvalidCursorError();
  const [sort, direction, value, id] = parsed.data;
  return { sort, direction, value, id };
}
