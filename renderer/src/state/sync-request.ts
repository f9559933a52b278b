import { capabilitiesOf, idKindWords } from '../../../main/core/contract/providers.ts';
import type { RequestArgs } from '../../../main/core/contract/requests.ts';
import type { AccountView, ChannelName, ParsedIdRow } from '../../../main/core/contract/types.ts';

/** What the sync form holds, before it becomes a `syncStart` request. */
export interface SyncFormValues {
  source: 'ids' | 'range';
  rows: ParsedIdRow[];
  /** Kore.ai: one user id for every session (when the ids carry none). */
  userId: string;
  channel: ChannelName | '';
  from: string;
  to: string;
  /** Envoy's call status filter for a date range, e.g. COMPLETED. */
  status: string;
}

export type SyncBuild = { ok: true; args: RequestArgs<'syncStart'> } | { ok: false; error: string };

/** Whether the provider can list recordings by date (Kallglot has no such endpoint). */
export function supportsDateRange(account: AccountView): boolean {
  return capabilitiesOf(account.provider).dateRange;
}

/** What the id field asks for: "Session or recording ids", "Call ids", … */
export function idFieldLabel(account: AccountView | undefined): string {
  if (!account) return 'Ids';
  const words = idKindWords(account.provider);
  const label = `${words.charAt(0).toUpperCase()}${words.slice(1)} ids`;
  return capabilitiesOf(account.provider).userId
    ? `${label} (optionally a second column with the user id)`
    : label;
}

/** Turns the form into a `syncStart` request, or says in words what is missing. */
export function buildSyncRequest(account: AccountView, form: SyncFormValues): SyncBuild {
  const capabilities = capabilitiesOf(account.provider);
  const channel = form.channel === '' ? null : form.channel;
  const userId = form.userId.trim() || null;
  if (form.source === 'range') {
    if (!capabilities.dateRange) {
      const ids = idKindWords(account.provider);
      return {
        ok: false,
        error: `${capabilities.name} cannot list recordings by date: enter ${ids} ids.`,
      };
    }
    if (!form.from || !form.to) return { ok: false, error: 'Choose both a start and an end date.' };
    if (form.from > form.to) return { ok: false, error: 'The start date is after the end date.' };
    return {
      ok: true,
      args: {
        accountId: account.id,
        from: form.from,
        to: form.to,
        status: capabilities.statusFilter ? form.status.trim() || null : null,
        userId: capabilities.userId ? userId : null,
        channel,
      },
    };
  }
  if (form.rows.length === 0) return { ok: false, error: 'Enter at least one id.' };
  const ids = form.rows.map((row) => row.id);
  switch (account.provider) {
    case 'kallglot': {
      // Kallglot ids say what they are: rec_… is one recording, anything else a session.
      const recordingIds = ids.filter((id) => id.startsWith('rec_'));
      const sessions = ids.filter((id) => !id.startsWith('rec_')).map((id) => ({ id }));
      return { ok: true, args: { accountId: account.id, sessions, recordingIds, channel } };
    }
    case 'koreai': {
      const missing = form.rows.filter((row) => !row.userId && !userId);
      if (missing.length > 0) {
        const lines = missing
          .slice(0, 5)
          .map((row) => row.line)
          .join(', ');
        return {
          ok: false,
          error: `Kore.ai needs the user id of each session: add a second column or fill in the user id (line ${lines}${missing.length > 5 ? '…' : ''}).`,
        };
      }
      const sessions = form.rows.map((row) => ({ id: row.id, userId: row.userId ?? userId }));
      return { ok: true, args: { accountId: account.id, sessions, channel } };
    }
    case 'envoy':
      return { ok: true, args: { accountId: account.id, callIds: ids, channel } };
  }
}
