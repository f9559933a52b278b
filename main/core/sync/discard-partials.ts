import { discardPartial } from '../archive/download.ts';
import { relativePathForRecording } from '../archive/layout.ts';
import { unarchivedRecordingIds } from '../db/job-recordings.ts';
import type { Job } from '../db/jobs.ts';
import { getRecording } from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';
import { remoteFromRow } from './remote-from-row.ts';

/** Deletes the `.part` files a cancelled job leaves of recordings it did not archive. */
export async function discardJobPartials(db: Db, archiveRoot: string, job: Job): Promise<void> {
  for (const id of unarchivedRecordingIds(db, job.id)) {
    const recording = getRecording(db, id);
    if (!recording) continue;
    const path = relativePathForRecording(remoteFromRow(recording), String(job.accountId));
    await discardPartial(archiveRoot, path).catch(() => {});
  }
}
