import { WHEN_HELP } from '../../core/contract/relative-time.ts';
import {
  AT_RISK_DAYS_DEFAULT,
  FIGURE_COLUMNS,
  type ComplianceReport,
} from '../../core/contract/report.ts';
import { nonNegativeInt, parseCommand, when } from '../args.ts';
import type { CliIo } from '../io.ts';
import { withApi } from '../open-engine.ts';
import { Output, printHelp, table } from '../output.ts';
import { unwrap } from '../refusal.ts';
import { EXIT_OK, UsageError } from '../usage-error.ts';

export const REPORT_HELP = `Usage:
  recvault report [--account N]... [--since D] [--until D] [--within-days N]
                  [--archived-since D] [--json | --csv]

The completeness report: per account, every recording the index knows of for the period —
found, archived, already archived, waiting (with the provider's word), not downloaded yet,
failed (with reasons), deleted by the provider before it was archived, no recording (a call or
session with no media: not a failure), excluded — and the recordings at risk: not archived and
deleted by the provider within --within-days days (default ${AT_RISK_DAYS_DEFAULT}).
The period is on the RECORDED date (when the call happened): --since inclusive, --until
exclusive, a bare --until date meaning through that day (UTC); recordings without a date count
only when no period is given. --since, --until and --archived-since take ${WHEN_HELP}.
--archived-since splits archived (from then on) from already archived (before).
--csv prints one row per account and a TOTAL row. Exit code 0 (a report is not a sync).`;

const OPTIONS = {
  account: { type: 'string', multiple: true },
  since: { type: 'string' },
  until: { type: 'string' },
  'within-days': { type: 'string' },
  'archived-since': { type: 'string' },
  csv: { type: 'boolean', default: false },
} as const;

export async function reportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(argv, OPTIONS);
  if (values.help) return printHelp(io, REPORT_HELP);
  if (values.json && values.csv) throw new UsageError('Give --json or --csv, not both.');
  const now = new Date();
  const from = when(values.since, '--since', now) ?? null;
  const to = when(values.until, '--until', now) ?? null;
  const archivedSince = when(values['archived-since'], '--archived-since', now) ?? null;
  const withinDays = nonNegativeInt(values['within-days'], '--within-days');
  const out = new Output(io, values.json);
  return withApi(io, values['data-dir'], {}, async (api) => {
    const accountIds: number[] = [];
    for (const name of values.account ?? []) {
      accountIds.push((await unwrap(api.accountByName({ name }))).id);
    }
    const report = await unwrap(
      api.complianceReport({
        accountIds,
        from,
        to,
        archivedSince,
        ...(withinDays === undefined ? {} : { withinDays }),
      }),
    );
    out.result(report, () => (values.csv ? csv(report) : text(report)));
    return EXIT_OK;
  });
}

function csvCell(value: string | number): string {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(report: ComplianceReport): string[] {
  const header = ['account', 'provider', ...FIGURE_COLUMNS.map(([key]) => key)];
  const rows = [
    ...report.accounts.map((a) => [
      a.accountName,
      a.provider,
      ...FIGURE_COLUMNS.map(([key]) => a.figures[key]),
    ]),
    ['TOTAL', '', ...FIGURE_COLUMNS.map(([key]) => report.totals[key])],
  ];
  return [header, ...rows].map((row) => row.map(csvCell).join(','));
}

function periodText(report: ComplianceReport): string {
  const { from, to } = report.period;
  if (!from && !to) return 'all recording dates';
  return `recorded ${from ? `from ${from}` : ''}${from && to ? ' ' : ''}${to ? `until ${to}` : ''}`;
}

function text(report: ComplianceReport): string[] {
  const lines = [
    `Completeness report, ${report.generatedAt} (${periodText(report)}; at risk: deleted within ${report.withinDays} day(s))`,
    '',
    ...table(
      ['ACCOUNT', ...FIGURE_COLUMNS.map(([, label]) => label.toUpperCase())],
      [
        ...report.accounts.map((a) => [
          a.accountName,
          ...FIGURE_COLUMNS.map(([key]) => String(a.figures[key])),
        ]),
        ['TOTAL', ...FIGURE_COLUMNS.map(([key]) => String(report.totals[key]))],
      ],
    ),
  ];
  const waiting = report.accounts.filter((a) => a.waitingWords.length);
  if (waiting.length) {
    lines.push('', "Waiting, in the provider's words:");
    for (const a of waiting) {
      lines.push(
        `  ${a.accountName}: ${a.waitingWords.map((w) => `${w.word} ${w.count}`).join(', ')}`,
      );
    }
  }
  if (report.failureReasons.length) {
    lines.push('', 'Failed, by reason:');
    for (const r of report.failureReasons) lines.push(`  ${r.count}  ${r.reason}`);
  }
  if (report.deleted.length) {
    lines.push('', 'Deleted by the provider before they were archived:');
    for (const d of report.deleted)
      lines.push(`  ${d.accountName}  ${d.remoteId}  ${d.recordedAt ?? '-'}`);
  }
  if (report.atRisk.length) {
    lines.push('', `At risk (not archived; the provider deletes them by the date shown):`);
    for (const r of report.atRisk) {
      lines.push(`  ${r.expiresAt ?? '-'}  ${r.accountName}  ${r.remoteId}: ${r.reason ?? ''}`);
    }
  }
  return lines;
}
