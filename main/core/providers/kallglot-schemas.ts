// Kallglot's JSON replies (seed pages 000 and 001), checked at the boundary. Unknown fields are
// kept (they go to the sidecar); a field we rely on that is missing or malformed is an
// invalid_response naming that field.
import { z } from 'zod';
import { channelSchema } from '../contract/vocabulary.ts';

const isoDate = z.string().refine((value) => !Number.isNaN(Date.parse(value)), {
  message: 'not an ISO 8601 date',
});

export const kallglotRecordingSchema = z.looseObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'not a recording id'),
  object: z.literal('recording').optional(),
  session_id: z.string().min(1),
  channel: channelSchema,
  // A status word we do not know yet is kept and treated as "not ready", not a broken reply.
  status: z.string().min(1),
  duration: z.number().nonnegative().nullish(),
  format: z.string().nullish(),
  size: z.number().int().nonnegative().nullish(),
  sample_rate: z.number().int().positive().nullish(),
  bit_depth: z.number().int().positive().nullish(),
  download_url: z.string().nullish(),
  created_at: isoDate.nullish(),
  expires_at: isoDate.nullish(),
});
export type KallglotRecording = z.output<typeof kallglotRecordingSchema>;

export const kallglotListSchema = z.looseObject({
  object: z.literal('list').optional(),
  data: z.array(kallglotRecordingSchema),
  session_id: z.string().optional(),
  // Absent in the seed page's example: then the reply is the whole list.
  has_more: z.boolean().optional(),
});
