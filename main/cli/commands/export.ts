import type { ExportOptions } from '../../core/contract/export-options.ts';
import type { Engine } from '../../core/engine.ts';
import { positiveInt, parseCommand } from '../args.ts';
import type { CliIo } from '../io.ts';
import { openCliEngine } from '../open-engine.ts';
import { formatBytes, Output } from '../output.ts';
import { EXIT_ITEMS_FAILED, EXIT_OK, UsageError } from '../usage-error.ts';
import { queryFromFlags } from './search.ts';

export const EXPORT_HELP = `Usage:
  recvault export --out DIR | --zip FILE [--format F] [--bitrate KBPS] [--sample-rate R]
                  [--channels keep|mono|split] [--video keep|audio-only] [--loudnorm]
                  [--name TEMPLATE] [--timezone TZ] [--query TEXT | ID...] [--json]

Exports archived recordings (ids from "recvault search", or provider ids such as rec_…) to a
folder or one .zip, with manifest.csv, manifest.json and SHA256SUMS. Formats: original (a
byte-for-byte copy), mp3, wav, ogg, flac, m4a, opus. Name tokens: {provider} {account}
{session} {call} {recording} {id} {channel} {date} {time} {duration}.
Never overwrites a file it did not write. Exit code 1 when some files failed (listed).`;

const OPTIONS = {
  out: { type: 'string' },
  zip: { type: 'string' },
  format: { type: 'string', default: 'original' },
  bitrate: { type: 'string' },
  'sample-rate': { type: 'string', default: 'keep' },
  channels: { type: 'string', default: 'keep' },
  video: { type: 'string', default: 'keep' },
  loudnorm: { type: 'boolean', default: false },
  name: { type: 'string', default: '{provider}_{account}_{date}_{time}_{recording}_{channel}' },
  timezone: { type: 'string', default: 'UTC' },
  query: { type: 'string' },
} as const;

export async function exportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, OPTIONS, true);
  if (values.help) {
    io.stdout.write(`${EXPORT_HELP}\n`);
    return EXIT_OK;
  }
  if (Boolean(values.out) === Boolean(values.zip))
    throw new UsageError('Give either --out DIR or --zip FILE.');
  if (values.query !== undefined && positionals.length)
    throw new UsageError('Give --query or ids, not both.');
  if (values.query === undefined && positionals.length === 0) {
    throw new UsageError('Say what to export: recording ids, or --query TEXT.');
  }
  const options = exportOptions(values);
  const out = new Output(io, values.json);
  const engine = await openCliEngine(io, values['data-dir']);
  try {
    const recordingIds = positionals.map((id) => resolveRecordingId(engine, id));
    const query =
      values.query === undefined
        ? null
        : queryFromFlags(values.query, {}, (name) => engine.accounts.findByName(name).id);
    const destination = values.zip
      ? { kind: 'zip' as const, path: values.zip }
      : { kind: 'folder' as const, path: values.out! };
    const started = engine.exports.start({ recordingIds, query, destination, options });
    const unsubscribe = engine.events.subscribe((channel, payload) => {
      if (channel !== 'exportProgress') return;
      const p = payload as {
        export: { id: number; filesDone: number; filesTotal: number };
        fraction: number;
      };
      if (p.export.id !== started.id) return;
      out.status(
        `Exporting ${p.export.filesDone}/${p.export.filesTotal} · ${Math.round(p.fraction * 100)}%`,
      );
    });
    const { view, summary } = await engine.exports.wait(started.id).finally(() => {
      unsubscribe();
      out.endStatus();
    });
    out.result(summary ?? view, () => [
      ...(summary?.outputs ?? []).map(
        (o) => `wrote    ${o.outputName} (${formatBytes(o.outputBytes)})`,
      ),
      ...view.failures.map((f) => `failed   recording ${f.recordingId}: ${f.reason}`),
      ...(view.error && !summary ? [`Export ${view.state}: ${view.error}`] : []),
      summary
        ? `Exported ${summary.totals.outputs} file(s) to ${view.destination}; manifest SHA-256 ${summary.manifestSha256}.`
        : `Export ${view.state}.`,
    ]);
    return view.state === 'done' && view.failures.length === 0 ? EXIT_OK : EXIT_ITEMS_FAILED;
  } finally {
    await engine.close();
  }
}

function exportOptions(values: Record<string, string | boolean | undefined>): ExportOptions {
  const format = values.format as string;
  if (!['original', 'mp3', 'wav', 'ogg', 'flac', 'm4a', 'opus'].includes(format)) {
    throw new UsageError(`Unknown format "${format}".`);
  }
  const rate = values['sample-rate'] as string;
  if (rate !== 'keep' && ![8000, 16000, 22050, 44100, 48000].includes(Number(rate))) {
    throw new UsageError('--sample-rate takes keep, 8000, 16000, 22050, 44100 or 48000.');
  }
  const channels = values.channels as string;
  if (!['keep', 'mono', 'split'].includes(channels))
    throw new UsageError('--channels takes keep, mono or split.');
  const video = values.video as string;
  if (!['keep', 'audio-only'].includes(video))
    throw new UsageError('--video takes keep or audio-only.');
  return {
    format: format as ExportOptions['format'],
    bitrateKbps: positiveInt(values.bitrate as string | undefined, '--bitrate') ?? 128,
    sampleRate: rate === 'keep' ? 'keep' : (Number(rate) as ExportOptions['sampleRate']),
    channels: channels as ExportOptions['channels'],
    video: video as ExportOptions['video'],
    loudnorm: Boolean(values.loudnorm),
    fileNameTemplate: values.name as string,
    timeZone: values.timezone as string,
  };
}

/** An index id from `recvault search`, or a provider's recording/call id. */
function resolveRecordingId(engine: Engine, id: string): number {
  if (/^\d+$/.test(id)) return Number(id);
  const rows = engine.db.prepare('SELECT id FROM recordings WHERE remote_id = ?').all(id) as {
    id: number;
  }[];
  if (rows.length === 0) throw new UsageError(`No archived recording with id ${id}.`);
  if (rows.length > 1)
    throw new UsageError(`${id} names recordings of several accounts: use the index id.`);
  return rows[0]!.id;
}
