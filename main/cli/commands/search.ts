import type { InProcessApi } from '../../core/api/in-process-client.ts';
import type { LibraryPage, LibraryQuery, RecordingRow } from '../../core/contract/types.ts';
import { CHANNEL_NAMES, PROVIDER_NAMES, RECORDING_STATES } from '../../core/contract/vocabulary.ts';
import { isoDate, oneOf, parseCommand, positiveInt } from '../args.ts';
import type { CliIo } from '../io.ts';
import { withApi } from '../open-engine.ts';
import { formatBytes, formatDuration, Output, printHelp, table } from '../output.ts';
import { unwrap } from '../refusal.ts';
import { EXIT_OK, UsageError } from '../usage-error.ts';

export const SEARCH_HELP = `Usage:
  recvault search [TEXT] [--account N] [--provider P] [--channel C] [--status S] [--since D]
                  [--until D] [--expiring-within DAYS] [--not-archived] [--limit N] [--json]
                  [--hold NAME]... [--on-hold] [--tag TAG]...

Full-text search over ids, session and call ids, file names, phone numbers, notes and tags.
--status is the archive state (${RECORDING_STATES.join(', ')}).
--hold keeps recordings on that legal hold; --on-hold, on any live hold.
--tag keeps recordings carrying that tag (every one given, any case).`;

const OPTIONS = {
  account: { type: 'string', multiple: true },
  provider: { type: 'string', multiple: true },
  channel: { type: 'string', multiple: true },
  status: { type: 'string', multiple: true },
  since: { type: 'string' },
  until: { type: 'string' },
  'expiring-within': { type: 'string' },
  'not-archived': { type: 'boolean', default: false },
  limit: { type: 'string' },
  hold: { type: 'string', multiple: true },
  'on-hold': { type: 'boolean', default: false },
  tag: { type: 'string', multiple: true },
} as const;

/** A query from CLI flags; also used by `export --query`. */
export async function queryFromFlags(
  api: InProcessApi,
  text: string,
  values: Record<string, string | string[] | boolean | undefined>,
): Promise<LibraryQuery> {
  const list = (key: string) => (values[key] as string[] | undefined) ?? [];
  const providers = list('provider').map((p) =>
    oneOf(PROVIDER_NAMES, p, () => `Unknown provider "${p}".`),
  );
  const channels = list('channel').map((c) =>
    oneOf(CHANNEL_NAMES, c, () => `Unknown channel "${c}".`),
  );
  const states = list('status').map((s) =>
    oneOf(RECORDING_STATES, s, () => `Unknown status "${s}": use ${RECORDING_STATES.join(', ')}.`),
  );
  const expiring = values['expiring-within'] as string | undefined;
  const days = expiring === undefined ? null : Number(expiring);
  if (days !== null && (!Number.isInteger(days) || days < 0)) {
    throw new UsageError('--expiring-within takes a number of days.');
  }
  const from = isoDate(values.since as string | undefined, '--since') ?? null;
  const to = isoDate(values.until as string | undefined, '--until') ?? null;
  const accountIds: number[] = [];
  for (const name of list('account')) {
    accountIds.push((await unwrap(api.accountByName({ name }))).id);
  }
  const holdIds: number[] = [];
  if (list('hold').length > 0) {
    const holds = (await unwrap(api.holdsList({}))).filter((hold) => hold.releasedAt === null);
    for (const name of list('hold')) {
      const hold = holds.find((h) => h.name.toLowerCase() === name.trim().toLowerCase());
      if (!hold) throw new UsageError(`No legal hold named "${name}" (see recvault hold list).`);
      holdIds.push(hold.id);
    }
  }
  return {
    text,
    accountIds,
    providers,
    channels,
    states,
    from,
    to,
    expiringWithinDays: days,
    notArchived: Boolean(values['not-archived']),
    integrityFailed: false,
    holdIds,
    onHold: Boolean(values['on-hold']),
    tags: list('tag')
      .map((tag) => tag.trim())
      .filter((tag) => tag !== ''),
    sort: days !== null ? 'expires_asc' : 'recorded_desc',
  };
}

export async function searchCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, OPTIONS, true);
  if (values.help) return printHelp(io, SEARCH_HELP);
  const limit = positiveInt(values.limit, '--limit') ?? 50;
  const out = new Output(io, values.json);
  return withApi(io, values['data-dir'], {}, async (api) => {
    const query = await queryFromFlags(api, positionals.join(' '), values);
    const rows: RecordingRow[] = [];
    let cursor: string | null = null;
    let total: number | null = null;
    let totalCapped = false;
    do {
      const page: LibraryPage = await unwrap(
        api.librarySearch({
          query,
          cursor,
          limit: Math.min(500, limit - rows.length),
          withTotal: cursor === null,
        }),
      );
      if (total === null) {
        total = page.total;
        totalCapped = page.totalCapped === true;
      }
      rows.push(...page.rows);
      cursor = page.nextCursor;
    } while (cursor && rows.length < limit);
    out.result({ total, totalCapped, rows }, () => [
      ...table(
        [
          'ID',
          'RECORDED',
          'PROVIDER',
          'ACCOUNT',
          'REMOTE ID',
          'SESSION/CALL',
          'CHANNEL',
          'LENGTH',
          'SIZE',
          'STATE',
          'EXPIRES',
        ],
        rows.map((r) => [
          String(r.id),
          r.recordedAt?.slice(0, 16).replace('T', ' ') ?? '-',
          r.provider,
          r.accountName,
          r.remoteId,
          r.sessionId ?? r.callId ?? '-',
          r.channel,
          formatDuration(r.durationSec),
          formatBytes(r.size),
          r.disposedAt ? 'disposed' : r.holds?.length ? `${r.state}, on hold` : r.state,
          r.expiresAt?.slice(0, 10) ?? '-',
        ]),
      ),
      `${rows.length} shown${total !== null ? ` of ${total}${totalCapped ? '+' : ''}` : ''}.`,
    ]);
    return EXIT_OK;
  });
}
