// Shapes of the Kore.ai SmartAssist replies the client relies on. Unknown fields are kept
// (loose objects) so the raw JSON can go into the sidecar; only fields we use are checked.
import { z } from 'zod';

export const koreaiRecordingEntrySchema = z.looseObject({
  fileName: z.string(),
  fileUrl: z.string().min(1),
});
export type KoreaiRecordingEntry = z.infer<typeof koreaiRecordingEntrySchema>;

/** GET /api/public/bot/{botId}/v2/recordings */
export const koreaiRecordingsReplySchema = z.looseObject({
  status: z.string().min(1),
  // Only `success` replies carry files; the other statuses may omit the list or send null.
  recording: z.array(koreaiRecordingEntrySchema).nullish(),
});
export type KoreaiRecordingsReply = z.infer<typeof koreaiRecordingsReplySchema>;

export const koreaiSessionSchema = z.looseObject({
  sessionId: z.string().min(1),
  userId: z.string().min(1),
  start_time: z.string().nullish(),
  end_time: z.string().nullish(),
});
export type KoreaiSession = z.infer<typeof koreaiSessionSchema>;

/** POST /api/public/bot/{botId}/getSessions */
export const koreaiSessionsReplySchema = z.looseObject({
  total: z.number().nullish(),
  moreAvailable: z.boolean().nullish(),
  sessions: z.array(koreaiSessionSchema),
});
