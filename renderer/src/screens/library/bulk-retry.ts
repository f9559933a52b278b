import type { RecordingRow } from '../../../../main/core/contract/types.ts';
import type { RequestResults } from '../../../../main/core/contract/requests.ts';

/** States Retry leaves alone (the engine's rule too): safe, being fetched, or excluded. */
const NOT_RETRIED: ReadonlySet<RecordingRow['state']> = new Set([
  'archived',
  'downloading',
  'skipped',
]);

/** The selected rows worth asking for again: loaded, and not archived. */
export function retryableIds(rows: readonly RecordingRow[], selected: readonly number[]): number[] {
  if (selected.length === 0) return [];
  const wanted = new Set(selected);
  return rows.filter((row) => wanted.has(row.id) && !NOT_RETRIED.has(row.state)).map((r) => r.id);
}

/** "3 recordings queued again: sync job 4 (Demo). 1 was archived already." */
export function retryMessage(result: RequestResults['recordingsRetry']): string {
  const jobs = result.jobs.map((job) => `sync job ${job.id} (${job.accountName})`).join(', ');
  const queued =
    result.queued === 1 ? '1 recording queued again' : `${result.queued} recordings queued again`;
  const archived =
    result.alreadyArchived === 0
      ? ''
      : ` ${result.alreadyArchived} ${result.alreadyArchived === 1 ? 'was' : 'were'} archived already.`;
  return `${queued}: ${jobs} (see Sync).${archived}`;
}
