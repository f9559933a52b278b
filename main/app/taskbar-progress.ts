import type { JobView } from '../core/contract/types.ts';

/**
 * The taskbar/dock progress for all running jobs: a fraction of bytes, 2 (indeterminate) while
 * only discovering, and -1 (hidden) when nothing runs.
 */
export function overallProgress(jobs: readonly JobView[]): number {
  const running = jobs.filter((job) => job.state === 'running');
  if (running.length === 0) return -1;
  const total = running.reduce((sum, job) => sum + job.totals.bytesTotal, 0);
  const done = running.reduce((sum, job) => sum + job.totals.bytesDone, 0);
  if (total === 0) return 2;
  return Math.min(1, done / total);
}
