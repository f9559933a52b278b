import { z } from 'zod';
import { AppError } from '../app-error.ts';
import { capabilitiesOf, idKindWords, waysToFind, type IdKind } from '../contract/providers.ts';
import type { ParsedRequestArgs } from '../contract/requests.ts';
import { channelSchema, type ProviderName } from '../contract/vocabulary.ts';
import { selectionSchema, type Selection } from '../providers/types.ts';

/** What a sync job archives, as stored in jobs.spec_json so it survives restarts. */
export const jobSpecSchema = z.object({
  selections: z.array(selectionSchema),
  channel: channelSchema.nullable(),
  label: z.string(),
  /** Fetch recordings disposed of under retention again (issue 14); absent: never. */
  includeDisposed: z.boolean().optional(),
});
export type JobSpec = z.infer<typeof jobSpecSchema>;

/** A `syncStart` request without its account. */
export type SyncRequest = Omit<ParsedRequestArgs<'syncStart'>, 'accountId' | 'includeDisposed'> & {
  includeDisposed?: boolean;
};

/**
 * Turns what the user asked for into provider selections, refusing what the provider cannot
 * do (contract/providers.ts: Kallglot has no date discovery; Envoy has no sessions; Kore.ai
 * sessions need a user id).
 */
export function buildJobSpec(provider: ProviderName, request: SyncRequest): JobSpec {
  const selections: Selection[] = [];
  const capabilities = capabilitiesOf(provider);
  const hasRange = Boolean(request.from || request.to);
  const refuse = (message: string): never => {
    throw new AppError('invalid_arguments', message);
  };
  const given: Record<IdKind, number> = {
    sessions: request.sessions.length,
    recordings: request.recordingIds.length,
    calls: request.callIds.length,
  };
  const untaken = (Object.keys(given) as IdKind[]).filter(
    (kind) => given[kind] > 0 && !capabilities.idKinds.includes(kind),
  );
  if (untaken.length > 0) {
    refuse(`${capabilities.name} recordings are found by ${waysToFind(provider)}.`);
  }
  if (hasRange && !capabilities.dateRange) {
    refuse(
      `${capabilities.name} cannot list recordings by date: give ${idKindWords(provider)} ids.`,
    );
  }
  switch (provider) {
    case 'kallglot':
      for (const s of request.sessions)
        selections.push({ kind: 'kallglot-session', sessionId: s.id });
      for (const id of request.recordingIds)
        selections.push({ kind: 'kallglot-recording', recordingId: id });
      break;
    case 'koreai':
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
      for (const id of request.callIds) selections.push({ kind: 'envoy-call', callId: id });
      if (hasRange || (capabilities.statusFilter && request.status)) {
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
  return {
    selections,
    channel: request.channel ?? null,
    label: describeSelections(selections),
    ...(request.includeDisposed ? { includeDisposed: true } : {}),
  };
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
