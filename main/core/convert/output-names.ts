// Final, safe, unique file names for every planned output, in plan order.
import { renderFileNameTemplate } from './file-name-template.ts';
import { MANIFEST_FILE_NAMES } from './manifest.ts';
import type { ExportOptions } from '../contract/export-options.ts';
import type { MediaInfo } from '../ffmpeg/probe.ts';
import { planOutputs, type PlannedOutput } from './plan.ts';
import type { ExportSource } from './source.ts';
import { safeFileName } from './safe-file-name.ts';
import { uniqueFileNames } from './unique-names.ts';

/**
 * The files a batch becomes, with their final names, in the order they are written: the one
 * definition both the export run and the dialog's preview ("35 recordings → 50 files") use.
 * `infos[i]` is the probe of `sources[i]` after sorting (null: the index's metadata decides).
 */
export function planFiles<S extends ExportSource>(
  sources: readonly S[],
  options: ExportOptions,
  infos: readonly (MediaInfo | null)[] = [],
): { sources: S[]; plans: PlannedOutput[]; names: string[] } {
  const sorted = sortSources(sources);
  const plans = sorted.flatMap((source, i) => planOutputs(source, options, infos[i] ?? null));
  return { sources: sorted, plans, names: outputNames(plans, options) };
}

export function outputNames(
  plans: readonly PlannedOutput[],
  options: Pick<ExportOptions, 'fileNameTemplate' | 'timeZone'>,
): string[] {
  const names = plans.map((plan) => {
    const s = plan.source;
    const stem = renderFileNameTemplate(
      options.fileNameTemplate,
      {
        provider: s.provider,
        account: s.accountName,
        sessionId: s.sessionId,
        callId: s.callId,
        remoteId: s.remoteId,
        recordingId: s.recordingId,
        channel: plan.channel,
        recordedAt: s.recordedAt,
        durationSec: plan.sourceDurationSec,
      },
      options.timeZone,
    );
    return safeFileName(stem, plan.extension);
  });
  // The manifests' names are taken first so no recording can be called "manifest.csv".
  return uniqueFileNames(names, MANIFEST_FILE_NAMES);
}

/** Sources in a stable order (recorded time, then id) so names and collisions are repeatable. */
export function sortSources<T extends { recordedAt: string | null; recordingId: string }>(
  sources: readonly T[],
): T[] {
  const time = (s: T): number => {
    const t = s.recordedAt ? Date.parse(s.recordedAt) : NaN;
    return Number.isNaN(t) ? Infinity : t;
  };
  return [...sources].sort(
    (a, b) =>
      time(a) - time(b) ||
      (a.recordingId < b.recordingId ? -1 : a.recordingId > b.recordingId ? 1 : 0),
  );
}
