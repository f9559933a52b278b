import { z } from 'zod';
import { AppError } from '../app-error.ts';
import type { ProviderKind, Selection } from '../providers/types.ts';

export const channelSchema = z.enum(['mixed', 'agent', 'customer']);

const selectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('kallglot-session'), sessionId: z.string() }),
  z.object({ kind: z.literal('kallglot-recording'), recordingId: z.string() }),
  z.object({ kind: z.literal('koreai-session'), sessionId: z.string(), userId: z.string() }),
  z.object({
    kind: z.literal('koreai-range'),
    from: z.string(),
    to: z.string(),
    userId: z.string().optional(),
  }),
  z.object({ kind: z.literal('envoy-call'), callId: z.string() }),
  z.object({
    kind: z.literal('envoy-range'),
    from: z.string(),
    to: z.string(),
    status: z.string().optional(),
  }),
]);

/** What a sync job archives, as stored in jobs.spec_json so it survives restarts. */
export const jobSpecSchema = z.object({
  selections: z.array(selectionSchema),
  channel: channelSchema.nullable(),
  label: z.string(),
});
export type JobSpec = z.infer<typeof jobSpecSchema>;

export interface SyncRequest {
  sessions: { id: string; userId?: string | null }[];
  recordingIds: string[];
  callIds: string[];
  from?: string | null;
  to?: string | null;
  status?: string | null;
  userId?: string | null;
  channel?: 'mixed' | 'agent' | 'customer' | null;
}

/**
 * Turns what the user asked for into provider selections, refusing what the provider cannot
 * do (Kallglot has no date discovery; Envoy has no sessions; Kore.ai sessions need a user id).
 */
export function buildJobSpec(provider: ProviderKind, request: SyncRequest): JobSpec {
  const selections: Selection[] = [];
  const hasRange = Boolean(request.from || request.to);
  const refuse = (message: string): never => {
    throw new AppError('invalid_arguments', message);
  };
  switch (provider) {
    case 'kallglot':
      if (request.callIds.length) refuse('Kallglot has sessions and recordings, not calls.');
      if (hasRange) {
        refuse('Kallglot cannot list recordings by date: give session or recording ids.');
      }
      for (const s of request.sessions)
        selections.push({ kind: 'kallglot-session', sessionId: s.id });
      for (const id of request.recordingIds)
        selections.push({ kind: 'kallglot-recording', recordingId: id });
      break;
    case 'koreai':
      if (request.callIds.length || request.recordingIds.length) {
        refuse('Kore.ai recordings are found by session id and user id.');
      }
      for (const s of request.sessions) {
        const userId = s.userId || request.userId;
        if (!userId) refuse(`Kore.ai session ${s.id} needs the user id it belongs to.`);
        selections.push({ kind: 'koreai-session', sessionId: s.id, userId: userId! });
      }
      if (hasRange) {
        selections.push({
          kind: 'koreai-range',
          from: request.from ?? request.to!,
          to: request.to ?? new Date().toISOString().slice(0, 10),
          ...(request.userId ? { userId: request.userId } : {}),
        });
      }
      break;
    case 'envoy':
      if (request.sessions.length || request.recordingIds.length) {
        refuse('Envoy recordings are found by call id or by date range.');
      }
      for (const id of request.callIds) selections.push({ kind: 'envoy-call', callId: id });
      if (hasRange || request.status) {
        selections.push({
          kind: 'envoy-range',
          from: request.from ?? '1970-01-01',
          to: request.to ?? new Date().toISOString().slice(0, 10),
          ...(request.status ? { status: request.status } : {}),
        });
      }
      break;
  }
  if (selections.length === 0) refuse('Nothing to archive: give ids or a date range.');
  return { selections, channel: request.channel ?? null, label: describeSelections(selections) };
}

function describeSelections(selections: Selection[]): string {
  const counts = new Map<string, number>();
  for (const s of selections) counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
  const words: Record<Selection['kind'], [string, string]> = {
    'kallglot-session': ['session', 'sessions'],
    'kallglot-recording': ['recording', 'recordings'],
    'koreai-session': ['session', 'sessions'],
    'koreai-range': ['date range', 'date ranges'],
    'envoy-call': ['call', 'calls'],
    'envoy-range': ['date range', 'date ranges'],
  };
  const parts = [...counts].map(([kind, n]) => {
    const [one, many] = words[kind as Selection['kind']];
    if (n === 1) {
      const only = selections.find((s) => s.kind === kind)!;
      return `${one} ${selectionName(only)}`;
    }
    return `${n} ${many}`;
  });
  return parts.join(', ');
}

function selectionName(selection: Selection): string {
  switch (selection.kind) {
    case 'kallglot-session':
    case 'koreai-session':
      return selection.sessionId;
    case 'kallglot-recording':
      return selection.recordingId;
    case 'envoy-call':
      return selection.callId;
    case 'koreai-range':
    case 'envoy-range':
      return `${selection.from} – ${selection.to}`;
  }
}
