import path from 'node:path';
import type { InProcessApi } from '../../core/api/in-process-client.ts';
import { notArchivedReason } from '../../core/contract/not-archived-reason.ts';
import type { LibraryPage, LibraryQuery, RecordingRow } from '../../core/contract/types.ts';
import type { ExportOptionsInput } from '../../core/contract/export-options.ts';
import {
  CHANNEL_MODES,
  EXPORT_FORMATS,
  SAMPLE_RATE_CHOICES,
  VIDEO_MODES,
  templateTokenList,
} from '../../core/contract/vocabulary.ts';
import { orList } from '../../core/contract/providers.ts';
import { oneOf, parseCommand, positiveInt } from '../args.ts';
import type { CliIo } from '../io.ts';
import { withApi } from '../open-engine.ts';
import { formatBytes, Output, printHelp } from '../output.ts';
import { unwrap } from '../refusal.ts';
import { EXIT_ITEMS_FAILED, EXIT_OK, UsageError } from '../usage-error.ts';
import { queryFromFlags } from './search.ts';
import { PRODUCTION_HELP, PRODUCTION_OPTIONS, productionOptions } from './production-flags.ts';

const FORMAT_LIST = EXPORT_FORMATS.map((format) =>
  format === 'original' ? 'original (a byte-for-byte copy)' : format,
).join(', ');

export const EXPORT_HELP = `Usage:
  recvault export --out DIR | --zip FILE [--format F] [--bitrate KBPS] [--sample-rate R]
                  [--channels ${CHANNEL_MODES.join('|')}] [--video ${VIDEO_MODES.join('|')}] [--loudnorm]
                  [--name TEMPLATE] [--timezone TZ] [--bag [--organization NAME]]
                  [--query TEXT] [--hold NAME] | ID...] [--json]

Exports archived recordings (ids from "recvault search", or provider ids such as rec_…) to a
folder or one .zip, with manifest.csv, manifest.json and SHA256SUMS.
Formats: ${FORMAT_LIST}.
Name tokens: ${templateTokenList()}.
--hold NAME exports the recordings on that legal hold (with --query, those of them matching).
--query exports the matching recordings that are archived and lists the matching ones it
skipped (not archived: waiting, failed, deleted by the provider, no recording) with why.
--bag packages the export as a BagIt bag (RFC 8493) for legal: the files under data/, with
custody records, the audit entries about them and a freshly signed checkpoint under custody/,
checkable by the recipient with sha256sum and openssl, or "recvault verify-export". The folder
must be empty or new; --organization names the sender in bag-info.txt (Source-Organization).
${PRODUCTION_HELP}
Never overwrites a file it did not write. Exit code 1 when some files failed (listed).`;

// No defaults here: what is not given takes the contract's defaults when the request is parsed.
const OPTIONS = {
  out: { type: 'string' },
  zip: { type: 'string' },
  format: { type: 'string' },
  bitrate: { type: 'string' },
  'sample-rate': { type: 'string' },
  channels: { type: 'string' },
  video: { type: 'string' },
  loudnorm: { type: 'boolean', default: false },
  name: { type: 'string' },
  timezone: { type: 'string' },
  query: { type: 'string' },
  hold: { type: 'string' },
  bag: { type: 'boolean', default: false },
  organization: { type: 'string' },
  ...PRODUCTION_OPTIONS,
} as const;

type Values = Record<string, string | boolean | undefined>;

export async function exportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, OPTIONS, true);
  if (values.help) return printHelp(io, EXPORT_HELP);
  if (Boolean(values.out) === Boolean(values.zip))
    throw new UsageError('Give either --out DIR or --zip FILE.');
  const byQuery = values.query !== undefined || values.hold !== undefined;
  if (byQuery && positionals.length)
    throw new UsageError('Give --query or --hold, or ids, not both.');
  if (!byQuery && positionals.length === 0) {
    throw new UsageError('Say what to export: recording ids, --query TEXT or --hold NAME.');
  }
  const options = exportOptions(values);
  const out = new Output(io, values.json);
  return withApi(io, values['data-dir'], {}, async (api) => {
    const recordingIds: number[] = [];
    for (const id of positionals) recordingIds.push(await resolveRecordingId(api, id));
    const asked = byQuery
      ? await queryFromFlags(
          api,
          typeof values.query === 'string' ? values.query : '',
          typeof values.hold === 'string' ? { hold: [values.hold] } : {},
        )
      : null;
    // A query exports what is archived; what else it matches is listed as skipped, with why.
    const skipped = asked ? await notArchivedMatches(api, asked) : [];
    const query = asked ? { ...asked, states: ['archived' as const] } : null;
    const skipLines = skipped.map(
      (r) =>
        `skipped  ${r.remoteId} (recording ${r.id}): ${notArchivedReason(r.state, r.lastError)}`,
    );
    if (asked) {
      const archived = await unwrap(
        api.librarySearch({ query: query!, cursor: null, limit: 1, withTotal: false }),
      );
      if (archived.rows.length === 0) {
        for (const line of skipLines) io.stderr.write(`${line}\n`);
        throw new UsageError(
          `Nothing archived matches "${asked.text}"${skipped.length ? ` (${skipped.length} matching recording(s) are not archived, listed above)` : ''}.`,
        );
      }
    }
    // The API takes absolute paths only; on the command line a path is relative to here.
    const destination = values.zip
      ? { kind: 'zip' as const, path: path.resolve(values.zip) }
      : { kind: 'folder' as const, path: path.resolve(values.out!) };
    let exportId: number | null = null;
    const unsubscribe = api.onExportProgress((progress) => {
      if (progress.export.id !== exportId) return;
      out.status(
        `Exporting ${progress.export.filesDone}/${progress.export.filesTotal} · ${Math.round(progress.fraction * 100)}%`,
      );
    });
    let ended;
    try {
      exportId = (await unwrap(api.exportStart({ recordingIds, query, destination, options }))).id;
      ended = await unwrap(api.exportWait({ exportId }));
    } finally {
      unsubscribe();
      out.endStatus();
    }
    const { export: view, summary } = ended;
    out.problems(view.failures.map((f) => `failed   recording ${f.recordingId}: ${f.reason}`));
    const skippedJson = skipped.map((r) => ({
      recordingId: r.id,
      remoteId: r.remoteId,
      state: r.state,
      reason: notArchivedReason(r.state, r.lastError),
    }));
    out.result({ ...(summary ?? view), skipped: skippedJson }, () => [
      ...skipLines,
      ...(summary?.outputs ?? []).map(
        (o) => `wrote    ${o.outputName} (${formatBytes(o.outputBytes)})`,
      ),
      ...view.failures.map((f) => `failed   recording ${f.recordingId}: ${f.reason}`),
      ...(view.error && !summary ? [`Export ${view.state}: ${view.error}`] : []),
      summary
        ? `Exported ${summary.totals.outputs} file(s) to ${view.destination}; manifest SHA-256 ${summary.manifestSha256}.` +
          (skipped.length ? ` Skipped ${skipped.length} not archived (listed).` : '')
        : `Export ${view.state}.`,
      ...(summary?.bag
        ? [
            `BagIt bag: manifest-sha256.txt SHA-256 ${summary.bag.manifestSha256}, checkpoint ${summary.bag.checkpointSeq} (audit head ${summary.bag.auditHeadSeq}). The recipient checks it with "recvault verify-export" or custody/README.txt.`,
          ]
        : []),
      ...(summary?.production
        ? [
            `Production ${summary.production.firstControl}–${summary.production.lastControl}: ${summary.production.files.map((f) => `${f.name} (SHA-256 ${f.sha256})`).join(', ')}.`,
          ]
        : []),
    ]);
    return view.state === 'done' && view.failures.length === 0 ? EXIT_OK : EXIT_ITEMS_FAILED;
  });
}

/** The options the flags give; the contract's schema checks them and fills in the rest. */
function exportOptions(values: Values): ExportOptionsInput {
  const given = (key: string) => (typeof values[key] === 'string' ? values[key] : undefined);
  const format = given('format');
  const rate = given('sample-rate');
  const channels = given('channels');
  const video = given('video');
  const sampleRate = SAMPLE_RATE_CHOICES.find((choice) => String(choice) === rate);
  if (rate !== undefined && sampleRate === undefined) {
    throw new UsageError(`--sample-rate takes ${orList(SAMPLE_RATE_CHOICES.map(String))}.`);
  }
  const bitrateKbps = positiveInt(given('bitrate'), '--bitrate');
  const fileNameTemplate = given('name');
  const timeZone = given('timezone');
  const organization = given('organization');
  if (organization !== undefined && !values.bag && values.profile === undefined)
    throw new UsageError('--organization is for --bag.');
  return {
    ...(values.bag ? { package: 'bag' as const } : {}),
    ...(organization === undefined ? {} : { organization }),
    ...(format === undefined
      ? {}
      : { format: oneOf(EXPORT_FORMATS, format, () => `Unknown format "${format}".`) }),
    ...(bitrateKbps === undefined ? {} : { bitrateKbps }),
    ...(sampleRate === undefined ? {} : { sampleRate }),
    ...(channels === undefined
      ? {}
      : { channels: oneOf(CHANNEL_MODES, channels, (c) => `--channels takes ${c}.`) }),
    ...(video === undefined
      ? {}
      : { video: oneOf(VIDEO_MODES, video, (v) => `--video takes ${v}.`) }),
    loudnorm: Boolean(values.loudnorm),
    ...(fileNameTemplate === undefined ? {} : { fileNameTemplate }),
    ...(timeZone === undefined ? {} : { timeZone }),
    ...productionOptions(values),
  };
}

/** An index id from `recvault search`, or a provider's recording/call id. */
export async function resolveRecordingId(api: InProcessApi, id: string): Promise<number> {
  if (/^\d+$/.test(id)) return Number(id);
  const { ids } = await unwrap(api.recordingIdsByRemoteId({ remoteId: id }));
  if (ids.length === 0) throw new UsageError(`No archived recording with id ${id}.`);
  if (ids.length > 1)
    throw new UsageError(`${id} names recordings of several accounts: use the index id.`);
  return ids[0]!;
}

/** The recordings a query matches that are not archived, so an export can say it skipped them. */
async function notArchivedMatches(api: InProcessApi, query: LibraryQuery): Promise<RecordingRow[]> {
  const rows: RecordingRow[] = [];
  let cursor: string | null = null;
  do {
    const page: LibraryPage = await unwrap(
      api.librarySearch({
        query: { ...query, notArchived: true },
        cursor,
        limit: 500,
        withTotal: false,
      }),
    );
    rows.push(...page.rows);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}
