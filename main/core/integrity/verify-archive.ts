import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import {
  verifyArchiveFiles,
  type ExpectedFile,
  type VerifyProgress,
  type VerifyReport as FileReport,
} from '../archive/verify-files.ts';
import type { VerifyReport } from '../contract/types.ts';
import { countDisposed } from '../db/disposals.ts';
import { archivedIdsByPath } from '../db/integrity-marks.ts';
import { archivedFiles } from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';
import { vaultedMediaRecordingIds } from '../db/vault.ts';

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
  // Each altered or missing file is named in its recording's own history, and the run lists
  // the recordings so the library can show them as "Integrity failed" until a clean verify.
  const idsByPath = archivedIdsByPath(db);
  // No local file, but the team vault holds the media (an attached officer keeps a copy only
  // when asked): kept in the vault, which `vault verify` re-reads, not missing.
  const vaulted = vaultedMediaRecordingIds(db);
  const inVaultOnly = files.missing.filter((f) => vaulted.has(idsByPath.get(f.relativePath)!));
  const missing = files.missing.filter((f) => !inVaultOnly.includes(f));
  const failedFiles = [
    ...files.altered.map((f) => ({ file: f, problem: 'altered' as const })),
    ...missing.map((f) => ({ file: f, problem: 'missing' as const })),
  ].flatMap(({ file, problem }) => {
    const recordingId = idsByPath.get(file.relativePath);
    return recordingId === undefined ? [] : [{ recordingId, file, problem }];
  });
  for (const { recordingId, file, problem } of failedFiles) {
    appendAudit(db, {
      actor,
      action: 'recording.integrity_failed',
      subject: `recording:${recordingId}`,
      details: {
        path: file.relativePath,
        problem,
        expectedSha256: file.sha256,
        ...('actualSha256' in file ? { actualSha256: file.actualSha256 } : {}),
      },
    });
  }
  // Disposed of under retention: their files are gone on purpose (tombstones), not missing.
  const disposed = countDisposed(db);
  const summary: VerifyReport = {
    checked: files.checked,
    ok: files.ok,
    missing: missing.map((f) => f.relativePath),
    altered: files.altered.map((f) => f.relativePath),
    unindexed: files.unindexed,
    sidecarMismatches: [
      ...files.sidecarMismatches.map((s) => `${s.relativePath}: ${s.message}`),
      ...files.unreadable.map((u) => `${u.relativePath}: ${u.message}`),
    ],
    ...(disposed > 0 ? { disposed } : {}),
    ...(inVaultOnly.length > 0 ? { inVaultOnly: inVaultOnly.length } : {}),
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
      failedRecordings: failedFiles.map((f) => f.recordingId),
      ...(disposed > 0 ? { disposed } : {}),
      ...(inVaultOnly.length > 0 ? { inVaultOnly: inVaultOnly.length } : {}),
    },
  });
  return { summary, files };
}
