// "35 recordings → 50 files", before an export starts: the selection resolved as the export
// would resolve it, and the files planned by the run's own planner (convert/output-names.ts
// planFiles), so the dialog's figure and the files on disk come from one definition.
import { planFiles } from '../convert/output-names.ts';
import type { ExportOptions } from '../contract/export-options.ts';
import type { ExportPlanView, LibraryQuery } from '../contract/types.ts';
import { listAccounts } from '../db/accounts.ts';
import type { Db } from '../db/sqlite.ts';
import type { MediaInfo } from '../ffmpeg/probe.ts';
import { readWavInfo } from '../ffmpeg/wav-info.ts';
import { exportSource, selectRecordings, splitSelection } from './export-sources.ts';

/**
 * The run asks ffprobe what each file holds; a preview reads WAV headers only (no process per
 * file), for at most this many files: past that, and for other formats, the index's channel
 * decides ("mixed" is stereo), as the run's planner does when a probe fails.
 */
const HEADER_READS_MAX = 1000;
const SAMPLE_NAMES = 5;

export async function planExport(
  deps: { db: Db; archiveRoot: () => string },
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
  const infos: (MediaInfo | null)[] =
    sorted.length <= HEADER_READS_MAX
      ? await Promise.all(sorted.map((s) => readWavInfo(s.absolutePath)))
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
