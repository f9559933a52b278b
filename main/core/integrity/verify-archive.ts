import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import {
  verifyArchiveFiles,
  type ExpectedFile,
  type VerifyProgress,
  type VerifyReport as FileReport,
} from '../archive/verify-files.ts';
import type { VerifyReport } from '../contract/types.ts';
import { archivedFiles } from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';

export interface ArchiveVerification {
  summary: VerifyReport;
  files: FileReport;
}

/**
 * Re-hashes every archived file against the index and the sidecars, reports missing, altered
 * and unindexed files, and records the run in the audit log.
 */
export async function verifyArchive(
  db: Db,
  archiveRoot: string,
  actor: AuditActor,
  onProgress?: (progress: VerifyProgress) => void,
  signal?: AbortSignal,
): Promise<ArchiveVerification> {
  const expected: ExpectedFile[] = [...archivedFiles(db)];
  const files = await verifyArchiveFiles(archiveRoot, expected, onProgress, signal);
  const summary: VerifyReport = {
    checked: files.checked,
    ok: files.ok,
    missing: files.missing.map((f) => f.relativePath),
    altered: files.altered.map((f) => f.relativePath),
    unindexed: files.unindexed,
    sidecarMismatches: [
      ...files.sidecarMismatches.map((s) => `${s.relativePath}: ${s.message}`),
      ...files.unreadable.map((u) => `${u.relativePath}: ${u.message}`),
    ],
  };
  appendAudit(db, {
    actor,
    action: 'verify.run',
    subject: 'archive',
    details: {
      checked: summary.checked,
      ok: summary.ok,
      missing: summary.missing.length,
      altered: summary.altered.length,
      unindexed: summary.unindexed.length,
      sidecarMismatches: summary.sidecarMismatches.length,
    },
  });
  return { summary, files };
}
