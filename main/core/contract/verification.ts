import type { VerifyReport } from './types.ts';

/** Whether a verification found the archive exactly as its index and sidecars say. */
export function archiveMatchesIndex(report: VerifyReport): boolean {
  return (
    report.missing.length === 0 &&
    report.altered.length === 0 &&
    report.unindexed.length === 0 &&
    report.sidecarMismatches.length === 0
  );
}
