import { z } from 'zod';
import { channelSchema, providerSchema, recordingStateSchema } from '../../contract/vocabulary.ts';
import { RECORDING_SORT_KEYS } from './sort-keys.ts';
import type { RecordingSortKey } from './sort-keys.ts';

// What a recordings search may ask for, as a zod schema so the IPC/CLI boundary can parse
// untrusted input with the same definition the query builder relies on.
// Empty filter arrays mean "no filter" (nothing picked in that filter), not "match nothing".

const timestamp = z
  .string()
  .max(40)
  .refine((value) => !Number.isNaN(Date.parse(value)), 'an ISO 8601 date or timestamp');

export const recordingSearchSchema = z.strictObject({
  /** Free text over ids, file names, phone numbers, notes and tags. */
  text: z.string().max(500).optional(),
  accountIds: z.array(z.number().int().positive()).max(500).optional(),
  providers: z.array(providerSchema).optional(),
  channels: z.array(channelSchema).optional(),
  remoteStatuses: z.array(z.enum(['ready', 'pending', 'failed', 'gone'])).optional(),
  states: z.array(recordingStateSchema).optional(),
  /** false: only what is not archived yet (any state but archived); true: only archived. */
  archived: z.boolean().optional(),
  /** Every listed tag must be present (case-insensitive). */
  tags: z.array(z.string().min(1).max(100)).max(20).optional(),
  /** recorded_at >= recordedFrom (inclusive). */
  recordedFrom: timestamp.optional(),
  /** recorded_at < recordedTo (exclusive), so consecutive ranges never overlap. */
  recordedTo: timestamp.optional(),
  /**
   * now <= expires_at <= now + N days, in any state: combine with `archived: false` for
   * "at risk". Recordings already past their deadline are left out (they are gone or about to
   * be); recordings with no known deadline never match.
   */
  expiringWithinDays: z.number().min(0).max(36_500).optional(),
  sort: z.enum(RECORDING_SORT_KEYS as [RecordingSortKey, ...RecordingSortKey[]]).optional(),
  /** Defaults per sort: recordedAt desc, expiresAt asc, size desc, duration desc. */
  direction: z.enum(['asc', 'desc']).optional(),
  limit: z.number().int().min(1).max(500).optional(),
  cursor: z.string().max(1000).nullish(),
  /** Also count all matches (one extra query; ask for it on the first page only). */
  withTotal: z.boolean().optional(),
});

export type RecordingSearch = z.infer<typeof recordingSearchSchema>;

export const DEFAULT_PAGE_SIZE = 100;
