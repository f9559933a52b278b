import fs from 'node:fs';
import type { JobItemView, JobView } from '../../core/contract/types.ts';
import type { Engine } from '../../core/engine.ts';
import type { SyncRequest } from '../../core/sync/job-spec.ts';
import { parseIds } from '../../core/sync/parse-ids.ts';
import { isoDate, nonNegativeInt, parseCommand, positiveInt, requireString } from '../args.ts';
import type { CliIo } from '../io.ts';
import { openCliEngine, readSecretFromStdin } from '../open-engine.ts';
import { refusedKeyHint } from '../key-hint.ts';
import { formatBytes, formatDuration, Output } from '../output.ts';
import { EXIT_ITEMS_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '../usage-error.ts';

export const SYNC_HELP = `Usage:
  recvault sync --account N [--session ID [--user-id U]]... [--recording ID]... [--call ID]...
                [--from-file PATH] [--since DATE] [--until DATE] [--status S] [--channel C]
                [--concurrency N] [--max-wait SECONDS] [--secret-stdin] [--resume] [--json]

Discovers every recording of the given sessions, recordings, calls or date range, records each
in the index, then downloads them soonest-to-expire first. Already archived recordings are
skipped; interrupted downloads resume. --from-file reads ids from a TXT (one per line) or CSV
file (a column named like session_id, call_id, recording_id, user_id).
--resume continues the account's interrupted jobs instead of starting a new one.
--max-wait is how long the run waits for recordings the provider is still preparing before
leaving them pending for the next run (default 120; 0 does not wait).
Exit codes: 0 everything archived; 1 some recordings failed or are not ready (listed);
2 bad usage, configuration, or a refused key.`;

const OPTIONS = {
  account: { type: 'string' },
  session: { type: 'string', multiple: true },
  'user-id': { type: 'string', multiple: true },
  recording: { type: 'string', multiple: true },
  call: { type: 'string', multiple: true },
  'from-file': { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  status: { type: 'string' },
  channel: { type: 'string' },
  concurrency: { type: 'string' },
  'max-wait': { type: 'string' },
  'secret-stdin': { type: 'boolean', default: false },
  resume: { type: 'boolean', default: false },
} as const;

export async function syncCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(argv, OPTIONS);
  if (values.help) {
    io.stdout.write(`${SYNC_HELP}\n`);
    return EXIT_OK;
  }
  const accountName = requireString(values.account, '--account');
  const channel = values.channel;
  if (channel !== undefined && !['mixed', 'agent', 'customer'].includes(channel)) {
    throw new UsageError('--channel takes mixed, agent or customer.');
  }
  const concurrency = positiveInt(values.concurrency, '--concurrency');
  const maxWait = nonNegativeInt(values['max-wait'], '--max-wait');
  const secretOverride = values['secret-stdin'] ? await readSecretFromStdin(io) : null;
  const out = new Output(io, values.json);
  const engine = await openCliEngine(io, values['data-dir'], {
    secretOverride,
    ...(concurrency ? { concurrency } : {}),
    ...(maxWait === undefined ? {} : { maxInRunWaitMs: maxWait * 1000 }),
  });
  try {
    const account = engine.accounts.findByName(accountName);
    let jobs: JobView[];
    if (values.resume) {
      jobs = engine.jobs
        .list()
        .filter((j) => j.accountId === account.id && (j.state === 'paused' || j.state === 'queued'))
        .map((j) => engine.jobs.resume(j.id));
      if (jobs.length === 0) out.note(`No interrupted jobs for "${account.name}".`);
    } else {
      const request = buildRequest(values, account.provider, io);
      if (channel) request.channel = channel as SyncRequest['channel'];
      jobs = [engine.jobs.start(account.id, request)];
    }
    const stopOnSignal = () => void Promise.all(jobs.map((j) => engine.jobs.pause(j.id)));
    process.once('SIGINT', stopOnSignal);
    process.once('SIGTERM', stopOnSignal);
    const results: { job: JobView; problems: JobItemView[] }[] = [];
    for (const job of jobs) {
      const finished = await follow(engine, job.id, out);
      const problems = engine.jobs
        .items(job.id, 100_000)
        .filter((item) => item.state !== 'archived');
      results.push({
        job: finished,
        problems: problems.filter((p) => p.error !== null || p.state !== 'discovered'),
      });
    }
    process.removeListener('SIGINT', stopOnSignal);
    process.removeListener('SIGTERM', stopOnSignal);
    report(out, results);
    for (const { job } of results) {
      const account = engine.accounts.list().find((a) => a.id === job.accountId);
      if (job.state === 'failed' && account?.authError)
        io.stderr.write(`${refusedKeyHint(account)}\n`);
    }
    return exitCode(results, engine);
  } finally {
    await engine.close();
  }
}

function buildRequest(
  values: Record<string, string | string[] | boolean | undefined>,
  provider: string,
  io: CliIo,
): SyncRequest {
  const list = (key: string) => (values[key] as string[] | undefined) ?? [];
  const sessions = list('session');
  const userIds = list('user-id');
  if (userIds.length > 1 && userIds.length !== sessions.length) {
    throw new UsageError('Give one --user-id for all sessions, or one after each --session.');
  }
  const request: SyncRequest = {
    sessions: sessions.map((id, i) => ({ id, userId: userIds[i] ?? userIds[0] ?? null })),
    recordingIds: list('recording'),
    callIds: list('call'),
    from: isoDate(values.since as string | undefined, '--since') ?? null,
    to: isoDate(values.until as string | undefined, '--until') ?? null,
    status: (values.status as string | undefined) ?? null,
    userId: userIds.length === 1 ? userIds[0]! : null,
  };
  const file = values['from-file'] as string | undefined;
  if (file) addIdsFromFile(request, file, provider, io);
  return request;
}

function addIdsFromFile(request: SyncRequest, file: string, provider: string, io: CliIo): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const parsed = parseIds(text, { wantUserId: provider === 'koreai' && !request.userId });
  if (parsed.errors.length) {
    for (const e of parsed.errors) io.stderr.write(`${file}:${e.line}: ${e.message}\n`);
    throw new UsageError(
      `${parsed.errors.length} line(s) of ${file} are not usable; nothing was synced.`,
    );
  }
  for (const row of parsed.rows) {
    if (provider === 'envoy') request.callIds.push(row.id);
    else if (provider === 'kallglot' && row.id.startsWith('rec_'))
      request.recordingIds.push(row.id);
    else request.sessions.push({ id: row.id, userId: row.userId ?? request.userId ?? null });
  }
}

/** Waits for the job, drawing a progress bar on a terminal or printing a line per settled item. */
async function follow(engine: Engine, jobId: number, out: Output): Promise<JobView> {
  const settled = new Map<number, string>();
  const unsubscribe = engine.events.subscribe((channel, payload) => {
    if (channel !== 'jobProgress') return;
    const { job, items } = payload as { job: JobView; items: JobItemView[] };
    if (job.id !== jobId) return;
    for (const item of items) {
      if (!['archived', 'failed', 'gone', 'pending'].includes(item.state)) continue;
      if (settled.get(item.recordingId) === item.state) continue;
      settled.set(item.recordingId, item.state);
      if (!out.isTty) {
        out.note(
          item.state === 'archived'
            ? `archived ${item.remoteId} (${formatBytes(item.bytesDone)})`
            : `${item.state} ${item.remoteId}: ${item.error ?? ''}`,
        );
      }
    }
    const t = job.totals;
    const fraction = t.bytesTotal > 0 ? t.bytesDone / t.bytesTotal : 0;
    const bar = '#'.repeat(Math.round(fraction * 24)).padEnd(24, '.');
    out.status(
      `[${bar}] ${t.archived + t.skipped}/${t.discovered} · ${formatBytes(t.throughput)}/s · ETA ${formatDuration(t.etaSeconds)}`,
    );
  });
  try {
    return await engine.jobs.wait(jobId);
  } finally {
    unsubscribe();
    out.endStatus();
  }
}

function report(out: Output, results: { job: JobView; problems: JobItemView[] }[]): void {
  out.result(results, () =>
    results.flatMap(({ job, problems }) => {
      const t = job.totals;
      return [
        `Job ${job.id} (${job.accountName}: ${job.label}): ${job.state}. ` +
          `${t.archived} archived, ${t.skipped} already archived, ${t.pending} not ready, ${t.failed} failed, ${t.gone} deleted by the provider, of ${t.discovered} found.`,
        ...(job.error ? [`  ${job.error.split('\n').join('\n  ')}`] : []),
        ...problems.map((p) => `  ${p.state.padEnd(8)} ${p.remoteId}: ${p.error ?? ''}`),
      ];
    }),
  );
}

function exitCode(results: { job: JobView; problems: JobItemView[] }[], engine: Engine): number {
  const authFailed = results.some(
    ({ job }) =>
      job.state === 'failed' &&
      engine.accounts.list().some((a) => a.id === job.accountId && a.authError),
  );
  if (authFailed) return EXIT_USAGE;
  const allGood = results.every(
    ({ job }) =>
      job.state === 'done' &&
      !job.error &&
      job.totals.failed === 0 &&
      job.totals.pending === 0 &&
      job.totals.gone === 0 &&
      job.totals.archived + job.totals.skipped === job.totals.discovered,
  );
  return allGood ? EXIT_OK : EXIT_ITEMS_FAILED;
}
