import type { LibraryQuery, RecordingRow, RecordingState } from '../../core/contract/types.ts';
import { RECORDING_STATES } from '../../core/db/recording-row.ts';
import { isoDate, parseCommand, positiveInt } from '../args.ts';
import type { CliIo } from '../io.ts';
import { openCliEngine } from '../open-engine.ts';
import { formatBytes, formatDuration, Output, table } from '../output.ts';
import { EXIT_OK, UsageError } from '../usage-error.ts';

export const SEARCH_HELP = `Usage:
  recvault search [TEXT] [--account N] [--provider P] [--channel C] [--status S] [--since D]
                  [--until D] [--expiring-within DAYS] [--not-archived] [--limit N] [--json]

Full-text search over ids, session and call ids, file names, phone numbers, notes and tags.
--status is the archive state (archived, discovered, pending, failed, gone, skipped).`;

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
} as const;

/** A query from CLI flags; also used by `export --query`. */
export function queryFromFlags(
  text: string,
  values: Record<string, string | string[] | boolean | undefined>,
  accountIdByName: (name: string) => number,
): LibraryQuery {
  const list = (key: string) => (values[key] as string[] | undefined) ?? [];
  for (const p of list('provider')) {
    if (!['kallglot', 'koreai', 'envoy'].includes(p))
      throw new UsageError(`Unknown provider "${p}".`);
  }
  for (const c of list('channel')) {
    if (!['mixed', 'agent', 'customer'].includes(c))
      throw new UsageError(`Unknown channel "${c}".`);
  }
  for (const s of list('status')) {
    if (!(RECORDING_STATES as readonly string[]).includes(s)) {
      throw new UsageError(`Unknown status "${s}": use ${RECORDING_STATES.join(', ')}.`);
    }
  }
  const expiring = values['expiring-within'] as string | undefined;
  const days = expiring === undefined ? null : Number(expiring);
  if (days !== null && (!Number.isInteger(days) || days < 0)) {
    throw new UsageError('--expiring-within takes a number of days.');
  }
  return {
    text,
    accountIds: list('account').map(accountIdByName),
    providers: list('provider') as LibraryQuery['providers'],
    channels: list('channel') as LibraryQuery['channels'],
    states: list('status') as RecordingState[],
    from: isoDate(values.since as string | undefined, '--since') ?? null,
    to: isoDate(values.until as string | undefined, '--until') ?? null,
    expiringWithinDays: days,
    notArchived: Boolean(values['not-archived']),
    sort: days !== null ? 'expires_asc' : 'recorded_desc',
  };
}

export async function searchCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, OPTIONS, true);
  if (values.help) {
    io.stdout.write(`${SEARCH_HELP}\n`);
    return EXIT_OK;
  }
  const limit = positiveInt(values.limit, '--limit') ?? 50;
  const out = new Output(io, values.json);
  const engine = await openCliEngine(io, values['data-dir']);
  try {
    const query = queryFromFlags(
      positionals.join(' '),
      values,
      (name) => engine.accounts.findByName(name).id,
    );
    const rows: RecordingRow[] = [];
    let cursor: string | null = null;
    let total: number | null = null;
    let totalCapped = false;
    do {
      const page = engine.library.search(
        query,
        cursor,
        Math.min(500, limit - rows.length),
        cursor === null,
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
          r.state,
          r.expiresAt?.slice(0, 10) ?? '-',
        ]),
      ),
      `${rows.length} shown${total !== null ? ` of ${total}${totalCapped ? '+' : ''}` : ''}.`,
    ]);
    return EXIT_OK;
  } finally {
    await engine.close();
  }
}
