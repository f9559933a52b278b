import type { DisposalItem } from '../../core/contract/compliance.ts';
import { parseCommand } from '../args.ts';
import type { CliIo } from '../io.ts';
import { withApi } from '../open-engine.ts';
import { formatBytes, Output, printHelp } from '../output.ts';
import { unwrap } from '../refusal.ts';
import { EXIT_ITEMS_FAILED, EXIT_OK, UsageError } from '../usage-error.ts';

export const DISPOSE_HELP = `Usage:
  recvault dispose --dry-run [--json]
  recvault dispose --confirm [--json]

Defensible disposal under the retention rules ("recvault retention"). --dry-run lists the
archived recordings the rules make eligible now (and those past retention but kept by a legal
hold, which are never disposed of). --confirm deletes the eligible files, their sidecars and
derived copies (waveform peaks, drag copies), keeps a tombstone of each in the index (ids,
SHA-256, size, recorded and disposed times, rule, actor) and an audit entry. A later sync never
downloads a disposed recording again unless asked (sync --include-disposed).
Exit code 1 when some files could not be removed (listed).`;

const OPTIONS = {
  'dry-run': { type: 'boolean', default: false },
  confirm: { type: 'boolean', default: false },
} as const;

const line = (verb: string, item: DisposalItem) =>
  `${verb.padEnd(9)}${String(item.recordingId).padStart(6)}  ${item.accountName}  ${item.remoteId}  ${item.recordedAt.slice(0, 10)}  ${formatBytes(item.size)}  (${item.rule})`;

export async function disposeCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, OPTIONS);
  if (values.help) return printHelp(io, DISPOSE_HELP);
  if (positionals.length) throw new UsageError('dispose takes no arguments.');
  if (values['dry-run'] === values.confirm) {
    throw new UsageError(
      'Give --dry-run to review the disposal queue, or --confirm to dispose of it.',
    );
  }
  const out = new Output(io, values.json);
  return withApi(io, values['data-dir'], {}, async (api) => {
    const preview = await unwrap(api.disposalPreview({}));
    const heldLines = preview.held.map(
      (item) => `${line('kept', item)} on hold: ${item.holds.join(', ')}`,
    );
    if (values['dry-run']) {
      out.result(preview, () => [
        ...preview.eligible.map((item) => line('eligible', item)),
        ...heldLines,
        `${preview.eligible.length} recording(s) eligible for disposal (${formatBytes(preview.eligibleBytes)}); ${preview.held.length} kept by a legal hold.`,
      ]);
      return EXIT_OK;
    }
    if (preview.eligible.length === 0) {
      out.result({ disposed: [], disposedBytes: 0, kept: [], failed: [] }, () => [
        ...heldLines,
        'Nothing is eligible for disposal.',
      ]);
      return EXIT_OK;
    }
    const result = await unwrap(api.disposalConfirm({ count: preview.eligible.length }));
    out.result(result, () => [
      ...result.disposed.map((item) => line('disposed', item)),
      ...result.kept.map((item) => line('kept', item)),
      ...heldLines,
      ...result.failed.map((f) => `failed   ${f.recordingId}: ${f.reason}`),
      `Disposed of ${result.disposed.length} recording(s) (${formatBytes(result.disposedBytes)}); tombstones and audit entries kept.`,
    ]);
    return result.failed.length === 0 ? EXIT_OK : EXIT_ITEMS_FAILED;
  });
}
