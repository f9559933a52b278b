// Shapes of the Envoy replies the client relies on. Loose objects keep unknown fields for the
// sidecar; anything the docs mark nullable (or leave out of examples) is accepted as missing.
import { z } from 'zod';

export const envoyCallSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().nullish(),
  call_time: z.string().nullish(),
  call_start_time: z.string().nullish(),
  call_end_time: z.string().nullish(),
  call_direction: z.string().nullish(),
  phone_number: z.string().nullish(),
  from_number: z.string().nullish(),
  to_number: z.string().nullish(),
  recording_status: z.string().nullish(),
  organization_id: z.string().nullish(),
});
export type EnvoyCall = z.infer<typeof envoyCallSchema>;

export const envoyPaginationSchema = z.looseObject({
  page: z.number().int(),
  page_size: z.number().int().nullish(),
  total_count: z.number().int().nullish(),
  total_pages: z.number().int().nullish(),
  has_next: z.boolean().nullish(),
  has_prev: z.boolean().nullish(),
});

/** GET /calls */
export const envoyCallListSchema = z.looseObject({
  data: z.array(envoyCallSchema),
  pagination: envoyPaginationSchema,
});

/** GET /calls/{call_id}/recording */
export const envoyRecordingSchema = z.looseObject({
  call_id: z.string().min(1),
  // A recording that is not ready yet may come without a playback URL.
  url: z.string().nullish(),
  content_type: z.string().nullish(),
  /** Expiry of the playback URL, not of the recording. */
  expires_at: z.string().nullish(),
  recording_status: z.string().nullish(),
  duration_seconds: z.number().nonnegative().nullish(),
  file_size_bytes: z.number().int().nonnegative().nullish(),
  recording_start_time: z.string().nullish(),
});
export type EnvoyRecording = z.infer<typeof envoyRecordingSchema>;
