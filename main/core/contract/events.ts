import type { ExportProgress, JobProgress } from './types.ts';

/** Payloads of pushes from main to the renderer. */
export interface EventPayloads {
  /** At most ~10 per second per job. */
  jobProgress: JobProgress;
  exportProgress: ExportProgress;
  /** Rows were added or changed: visible pages should refresh. */
  libraryChanged: { recordingIds: number[] };
  accountsChanged: Record<string, never>;
  /** At most ~10 per second while `verifyArchive` re-hashes the archive. */
  verifyProgress: { filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number };
  /** A scheduled sync ran (or could not start): the app notifies on failures. */
  scheduleRun: { accountId: number; accountName: string; ok: boolean; message: string };
}
