import fs from 'node:fs';
import type { InProcessApi } from '../../core/api/in-process-client.ts';
import { capabilitiesOf, idKindOf } from '../../core/contract/providers.ts';
import type { RequestArgs, RequestResults } from '../../core/contract/requests.ts';
import type { JobItemView, JobView } from '../../core/contract/types.ts';
import { CHANNEL_NAMES, type ProviderName } from '../../core/contract/vocabulary.ts';
import { WHEN_HELP } from '../../core/contract/relative-time.ts';
import { nonNegativeInt, oneOf, parseCommand, positiveInt, requireString, when } from '../args.ts';
import { readSecretFromStdin, type CliIo } from '../io.ts';
import { refusedKeyHint } from '../key-hint.ts';
import { withApi } from '../open-engine.ts';
import { formatBytes, formatDuration, Output, printHelp } from '../output.ts';
import { Refusal, unwrap } from '../refusal.ts';
import { EXIT_ITEMS_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '../usage-error.ts';

export const SYNC_HELP = `Usage:
  recvault sync --account N [--session ID [--user-id U]]... [--recording ID]... [--call ID]...
                [--from-file PATH] [--since DATE] [--until DATE] [--status S] [--channel C]
                [--concurrency N] [--max-wait SECONDS] [--secret-stdin] [--resume] [--wait]
                [--json]
                [--include-disposed]

Discovers every recording of the given sessions, recordings, calls or date range, records each
in the index, then downloads them soonest-to-expire first. Already archived recordings are
skipped; interrupted downloads resume. --from-file reads ids from a TXT (one per line) or CSV
file (a column named like session_id, call_id, recording_id, user_id).
--since and --until take ${WHEN_HELP}: "--since 2d" syncs a rolling window for cron.
--include-disposed downloads recordings disposed of under retention again (else never).
--resume continues the account's interrupted jobs instead of starting a new one.
--max-wait is how long the run waits for recordings the provider is still preparing before
leaving them pending for the next run (default 120; 0 does not wait).
--wait waits while another Recvault process (the app, another sync) holds the archive, instead
of exiting 3.
A call or session the provider has no recording for (an Envoy call with none, a Kore.ai session
answering media_unavailable after its call ended) is listed as no_recording, not as a failure.
Exit codes: 0 everything archived (or with no recording); 1 some recordings failed or are not
ready (listed); 2 bad usage, configuration, or a refused key; 3 busy.`;

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
  'include-disposed': { type: 'boolean', default: false },
  'secret-stdin': { type: 'boolean', default: false },
  resume: { type: 'boolean', default: false },
  wait: { type: 'boolean', default: false },
} as const;

type Values = Record<string, string | string[] | boolean | undefined>;
type SyncArgs = Omit<RequestArgs<'syncStart'>, 'accountId'> &
  Required<Pick<RequestArgs<'syncStart'>, 'sessions' | 'recordingIds' | 'callIds'>>;
type Finished = RequestResults['jobWait'];

/** Item states in which a recording has settled for this run. */
const SETTLED = new Set<JobItemView['state']>([
  'archived',
  'failed',
  'gone',
  'pending',
  'no_recording',
]);

export async function syncCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(argv, OPTIONS);
  if (values.help) return printHelp(io, SYNC_HELP);
  const accountName = requireString(values.account, '--account');
  const channel =
    values.channel === undefined
      ? undefined
      : oneOf(CHANNEL_NAMES, values.channel, (choices) => `--channel takes ${choices}.`);
  const concurrency = positiveInt(values.concurrency, '--concurrency');
  const maxWait = nonNegativeInt(values['max-wait'], '--max-wait');
  const secretOverride = values['secret-stdin']
    ? { accountName, secret: await readSecretFromStdin(io) }
    : null;
  const out = new Output(io, values.json);
  const run = {
    secretOverride,
    ...(concurrency ? { concurrency } : {}),
    ...(maxWait === undefined ? {} : { maxInRunWaitMs: maxWait * 1000 }),
  };
  return withApi(io, values['data-dir'], run, async (api) => {
    const account = await unwrap(api.accountByName({ name: accountName }));
    let jobs: JobView[];
    if (values.resume) {
      const interrupted = (await unwrap(api.jobsList({}))).filter(
        (j) => j.accountId === account.id && (j.state === 'paused' || j.state === 'queued'),
      );
      jobs = [];
      for (const job of interrupted)
        jobs.push(await whenFree(values.wait, out, () => unwrap(api.jobResume({ jobId: job.id }))));
      if (jobs.length === 0) out.note(`No interrupted jobs for "${account.name}".`);
    } else {
      const request = await buildRequest(api, values, account.provider, io);
      jobs = [
        await whenFree(values.wait, out, () =>
          unwrap(
            api.syncStart({
              accountId: account.id,
              ...request,
              ...(channel ? { channel } : {}),
              ...(values['include-disposed'] ? { includeDisposed: true } : {}),
            }),
          ),
        ),
      ];
    }
    const stopOnSignal = () => void Promise.all(jobs.map((j) => api.jobPause({ jobId: j.id })));
    process.once('SIGINT', stopOnSignal);
    process.once('SIGTERM', stopOnSignal);
    const results: Finished[] = [];
    for (const job of jobs) {
      const { job: finished, items } = await follow(api, job.id, out);
      results.push({
        job: finished,
        items: items.filter(
          (item) =>
            item.state !== 'archived' && (item.error !== null || item.state !== 'discovered'),
        ),
      });
    }
    process.removeListener('SIGINT', stopOnSignal);
    process.removeListener('SIGTERM', stopOnSignal);
    report(out, results);
    const now = await unwrap(api.accountByName({ name: account.name }));
    const refused = results.filter(({ job }) => job.state === 'failed' && now.authError);
    for (const _ of refused) io.stderr.write(`${refusedKeyHint(now)}\n`);
    return refused.length ? EXIT_USAGE : exitCode(results);
  });
}

/** How often --wait asks again whether the archive is free. */
const WAIT_POLL_MS = 1000;

/**
 * Runs `start`; with --wait, while it is refused because another process holds the archive,
 * says so once and tries again until it is free.
 */
async function whenFree<T>(wait: boolean, out: Output, start: () => Promise<T>): Promise<T> {
  let told = false;
  for (;;) {
    try {
      return await start();
    } catch (error) {
      if (!wait || !(error instanceof Refusal) || error.code !== 'busy') throw error;
      if (!told) out.note(`Waiting: ${error.message}`);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
  }
}

async function buildRequest(
  api: InProcessApi,
  values: Values,
  provider: ProviderName,
  io: CliIo,
): Promise<SyncArgs> {
  const list = (key: string) => (values[key] as string[] | undefined) ?? [];
  const sessions = list('session');
  const userIds = list('user-id');
  if (userIds.length > 1 && userIds.length !== sessions.length) {
    throw new UsageError('Give one --user-id for all sessions, or one after each --session.');
  }
  const request: SyncArgs = {
    sessions: sessions.map((id, i) => ({ id, userId: userIds[i] ?? userIds[0] ?? null })),
    recordingIds: list('recording'),
    callIds: list('call'),
    from: when(values.since as string | undefined, '--since') ?? null,
    to: when(values.until as string | undefined, '--until') ?? null,
    status: (values.status as string | undefined) ?? null,
    userId: userIds.length === 1 ? userIds[0]! : null,
  };
  const file = values['from-file'] as string | undefined;
  if (file) await addIdsFromFile(api, request, file, provider, io);
  return request;
}

async function addIdsFromFile(
  api: InProcessApi,
  request: SyncArgs,
  file: string,
  provider: ProviderName,
  io: CliIo,
): Promise<void> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const wantUserId = capabilitiesOf(provider).userId && !request.userId;
  const parsed = await unwrap(api.idsParse({ text, wantUserId }));
  if (parsed.errors.length) {
    for (const e of parsed.errors) io.stderr.write(`${file}:${e.line}: ${e.message}\n`);
    throw new UsageError(
      `${parsed.errors.length} line(s) of ${file} are not usable; nothing was synced.`,
    );
  }
  for (const row of parsed.rows) {
    const kind = idKindOf(provider, row.id);
    if (kind === 'calls') request.callIds.push(row.id);
    else if (kind === 'recordings') request.recordingIds.push(row.id);
    else request.sessions.push({ id: row.id, userId: row.userId ?? request.userId ?? null });
  }
}

/** Waits for the job, drawing a progress bar on a terminal or printing a line per settled item. */
async function follow(api: InProcessApi, jobId: number, out: Output): Promise<Finished> {
  const settled = new Map<number, string>();
  const unsubscribe = api.onJobProgress(({ job, items }) => {
    if (job.id !== jobId) return;
    for (const item of items) {
      if (!SETTLED.has(item.state)) continue;
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
    return await unwrap(api.jobWait({ jobId }));
  } finally {
    unsubscribe();
    out.endStatus();
  }
}

function report(out: Output, results: Finished[]): void {
  out.problems(
    results.flatMap(({ job, items }) => [
      ...(job.error ? [`Job ${job.id} (${job.accountName}): ${job.error}`] : []),
      ...items
        .filter((p) => p.state !== 'no_recording')
        .map((p) => `${p.state.padEnd(8)} ${p.remoteId}: ${p.error ?? ''}`),
    ]),
  );
  out.result(
    results.map(({ job, items }) => ({ job, problems: items })),
    () =>
      results.flatMap(({ job, items }) => {
        const t = job.totals;
        return [
          `Job ${job.id} (${job.accountName}: ${job.label}): ${job.state}. ` +
            `${t.archived} archived, ${t.skipped} already archived, ${t.pending} not ready, ${t.failed} failed, ${t.gone} deleted by the provider, ${t.noRecording} with no recording, of ${t.discovered} found.`,
          ...(job.error ? [`  ${job.error.split('\n').join('\n  ')}`] : []),
          ...items.map((p) => `  ${p.state.padEnd(8)} ${p.remoteId}: ${p.error ?? ''}`),
        ];
      }),
  );
}

function exitCode(results: Finished[]): number {
  const allGood = results.every(
    ({ job }) =>
      job.state === 'done' &&
      !job.error &&
      job.totals.failed === 0 &&
      job.totals.pending === 0 &&
      job.totals.gone === 0 &&
      // "No recording" is settled and not a failure (issue 14).
      job.totals.archived + job.totals.skipped + job.totals.noRecording === job.totals.discovered,
  );
  return allGood ? EXIT_OK : EXIT_ITEMS_FAILED;
}
