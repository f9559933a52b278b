// "Verify this export" for an export that is not a BagIt bag (a folder or a zip of files and
// manifests): every file the export recorded, read again and hashed, against the SHA-256 the
// export recorded, against SHA256SUMS as written, and manifest.json against the hash the audit
// log holds; for a zip, the zip itself against its recorded SHA-256 first. A bag is checked by
// custody's verify-export instead (the recipient's check).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ExportFinding, ExportVerifyReport } from '../contract/export-verification.ts';
import { CHECKSUMS_FILE, MANIFEST_CSV, MANIFEST_JSON } from '../convert/manifest.ts';
import { sha256FileSized } from '../convert/sha256.ts';
import { zipEntryHashes } from './zip-entry-hashes.ts';

export interface RecordedExport {
  kind: 'folder' | 'zip';
  /** The folder, or the .zip. */
  path: string;
  files: readonly { name: string; sha256: string }[];
  manifestSha256: string | null;
  zipSha256: string | null;
}

type Hashes = Map<string, { sha256: string; bytes: number }>;

export async function verifyPlainExport(recorded: RecordedExport): Promise<ExportVerifyReport> {
  const findings: ExportFinding[] = [];
  const fail = (message: string, subject: string | null = null): void =>
    void findings.push({ check: 'payload', ok: false, subject, message });
  const report = (): ExportVerifyReport => ({
    ok: findings.length > 0 && findings.every((f) => f.ok),
    bag: recorded.path,
    payloadFiles: recorded.files.length,
    keyFingerprint: null,
    head: null,
    findings,
  });

  const names = [...recorded.files.map((f) => f.name), MANIFEST_CSV, MANIFEST_JSON, CHECKSUMS_FILE];
  let actual: Hashes;
  let sums: string | null;
  try {
    ({ hashes: actual, sums } = await readExport(recorded, names));
  } catch (error) {
    findings.push({
      check: 'package',
      ok: false,
      subject: recorded.path,
      message: `cannot be read: ${(error as Error).message}`,
    });
    return report();
  }
  if (recorded.kind === 'zip') {
    const zip = actual.get('');
    if (recorded.zipSha256 && zip?.sha256 !== recorded.zipSha256) {
      findings.push({
        check: 'package',
        ok: false,
        subject: path.basename(recorded.path),
        message: `the zip's SHA-256 is ${zip?.sha256}, the export recorded ${recorded.zipSha256}.`,
      });
    } else {
      findings.push({
        check: 'package',
        ok: true,
        subject: path.basename(recorded.path),
        message: `The zip's SHA-256 matches the one recorded (${recorded.zipSha256 ?? 'none recorded'}).`,
      });
    }
  }

  for (const file of recorded.files) {
    const found = actual.get(file.name);
    if (!found) fail('recorded by the export but missing.', file.name);
    else if (found.sha256 !== file.sha256) {
      fail(`changed: SHA-256 ${found.sha256}, the export recorded ${file.sha256}.`, file.name);
    }
  }
  const manifest = actual.get(MANIFEST_JSON);
  if (!manifest) fail('missing.', MANIFEST_JSON);
  else if (recorded.manifestSha256 && manifest.sha256 !== recorded.manifestSha256) {
    fail(
      `changed: SHA-256 ${manifest.sha256}, the audit log recorded ${recorded.manifestSha256}.`,
      MANIFEST_JSON,
    );
  }
  if (sums === null) fail('missing.', CHECKSUMS_FILE);
  else {
    for (const line of sums.split('\n')) {
      const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
      if (!match) continue;
      const found = actual.get(match[2]!);
      if (found && found.sha256 !== match[1]) {
        fail(`does not match its line in ${CHECKSUMS_FILE}.`, match[2]!);
      }
    }
  }
  if (!findings.some((f) => f.check === 'payload')) {
    findings.push({
      check: 'payload',
      ok: true,
      subject: CHECKSUMS_FILE,
      message: `${recorded.files.length} file(s) match the SHA-256 recorded at export and ${CHECKSUMS_FILE}; ${MANIFEST_JSON} matches the audit log.`,
    });
  }
  return report();
}

/** Hashes of the named files (the zip's own hash under "") and SHA256SUMS's text, if there. */
async function readExport(
  recorded: RecordedExport,
  names: readonly string[],
): Promise<{ hashes: Hashes; sums: string | null }> {
  if (recorded.kind === 'zip') {
    const { hashes, texts } = await zipEntryHashes(recorded.path, [CHECKSUMS_FILE]);
    hashes.set('', await sha256FileSized(recorded.path));
    return { hashes, sums: texts.get(CHECKSUMS_FILE) ?? null };
  }
  const stat = await fs.stat(recorded.path);
  if (!stat.isDirectory()) throw new Error('it is not a folder');
  const hashes: Hashes = new Map();
  for (const name of names) {
    const hashed = await sha256FileSized(path.join(recorded.path, name)).catch(() => null);
    if (hashed) hashes.set(name, hashed);
  }
  const sums = await fs
    .readFile(path.join(recorded.path, CHECKSUMS_FILE), 'utf8')
    .catch(() => null);
  return { hashes, sums };
}
