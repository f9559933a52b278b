// What `verify-export` reports about an export package: one finding per check, each passed or
// failed, naming the file or entry it is about. The package holds only when every one passed.

/** The checks, in the order they run and are printed. */
export const EXPORT_CHECKS = [
  'package',
  'bagit',
  'payload',
  'bag-info',
  'tag-manifest',
  'custody-records',
  'audit-chain',
  'checkpoint',
  'signature',
  'timestamp',
] as const;
export type ExportCheck = (typeof EXPORT_CHECKS)[number];

export interface ExportFinding {
  check: ExportCheck;
  ok: boolean;
  /** The file (data/…, custody/…) or audit seq it is about, when it is about one. */
  subject: string | null;
  message: string;
}

export interface ExportVerifyReport {
  /** True only when every finding passed. */
  ok: boolean;
  /** The bag's folder (inside the zip when a zip was given). */
  bag: string;
  payloadFiles: number;
  /** The signing key's fingerprint the checkpoint names, when it could be read. */
  keyFingerprint: string | null;
  /** The audit head the checkpoint commits to. */
  head: { seq: number; hash: string } | null;
  findings: ExportFinding[];
}

/** Passed and failed findings both: the verdict lists every check, not just the failures. */
export function exportVerdict(report: ExportVerifyReport): string {
  const failed = report.findings.filter((f) => !f.ok).length;
  return report.ok
    ? `VERIFIED: every check holds (${report.payloadFiles} payload file(s)).`
    : `NOT VERIFIED: ${failed} finding(s) failed.`;
}

/** What a bag export adds to its summary and its audit entry. */
export interface BagDetails {
  /** SHA-256 of manifest-sha256.txt. */
  manifestSha256: string;
  tagManifestSha256: string;
  payloadOxum: string;
  checkpointSeq: number;
  auditHeadSeq: number;
  timestamped: boolean;
}
