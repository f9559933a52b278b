import type { ExportProgress, JobProgress } from './types.ts';

/** How far a pass over the archive's files has come. */
export interface FilesProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

/** Payloads of pushes from main to the renderer. */
export interface EventPayloads {
  /** At most ~10 per second per job. */
  jobProgress: JobProgress;
  exportProgress: ExportProgress;
  /** Rows were added or changed: visible pages should refresh. */
  libraryChanged: { recordingIds: number[] };
  accountsChanged: Record<string, never>;
  /** At most ~10 per second while `verifyArchive` re-hashes the archive. */
  verifyProgress: FilesProgress;
  /** A verify of the archive's files ended: how many it checked and how many were not right. */
  verifyFinished: { checked: number; problems: number };
  /** At most ~10 per second while the archive is copied to its new folder, then once at the end. */
  archiveMoveProgress: FilesProgress;
  /**
   * The team vault's status changed (an upload, a back-fill step, a test, an attach): at most
   * ~4 per second.
   */
  vaultChanged: Record<string, never>;
  /** A scheduled sync ran (or could not start): the app notifies on failures. */
  scheduleRun: { accountId: number; accountName: string; ok: boolean; message: string };
}
