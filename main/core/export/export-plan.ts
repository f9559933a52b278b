// "35 recordings → 50 files", before an export starts: the selection resolved as the export
// would resolve it, and the files planned by the run's own planner (convert/output-names.ts
// planFiles), so the dialog's figure and the files on disk come from one definition.
import { planFiles } from '../convert/output-names.ts';
import type { ExportOptions } from '../contract/export-options.ts';
import type { ExportPlanView, LibraryQuery } from '../contract/types.ts';
import { listAccounts } from '../db/accounts.ts';
import type { Db } from '../db/sqlite.ts';
import { exportSource, selectRecordings, splitSelection } from './export-sources.ts';
import type { MediaFacts } from './media-facts.ts';

/**
 * The run asks each file what it holds (a WAV's header, else ffprobe); so does the preview, up
 * to these many files (WAV headers are cheap, ffprobe is a process per file; both are kept per
 * file). Past that the index's channel decides ("mixed" is stereo), as the run's planner does
 * when a probe fails, and the figure may then differ for a file the index describes wrongly.
 */
const HEADER_READS_MAX = 2000;
const PROBES_MAX = 200;
const SAMPLE_NAMES = 5;

export async function planExport(
  deps: { db: Db; archiveRoot: () => string; facts: MediaFacts },
  request: { recordingIds: readonly number[]; query: LibraryQuery | null; options: ExportOptions },
): Promise<ExportPlanView> {
  const { db } = deps;
  const picked = selectRecordings(db, request.recordingIds, request.query);
  const { archived, notArchived } = splitSelection(picked);
  const names = new Map(listAccounts(db, { includeRemoved: true }).map((a) => [a.id, a.name]));
  const root = deps.archiveRoot();
  const sources = archived.map((r) => exportSource(r, names.get(r.accountId) ?? '', root));
  // planFiles sorts; the header reads must line up with that order.
  const sorted = planFiles(sources, request.options).sources;
  const infos =
    sorted.length <= HEADER_READS_MAX
      ? await deps.facts.of(sorted, sorted.length <= PROBES_MAX)
      : [];
  const { plans, names: fileNames } = planFiles(sorted, request.options, infos);
  const byExtension: Record<string, number> = {};
  const perRecording = new Map<string, number>();
  for (const plan of plans) {
    byExtension[plan.extension] = (byExtension[plan.extension] ?? 0) + 1;
    perRecording.set(plan.source.recordingId, (perRecording.get(plan.source.recordingId) ?? 0) + 1);
  }
  return {
    selected: picked.length,
    archived: archived.length,
    notArchived: notArchived.length,
    files: plans.length,
    split: [...perRecording.values()].filter((n) => n > 1).length,
    byExtension,
    sampleNames: fileNames.slice(0, SAMPLE_NAMES),
  };
}
