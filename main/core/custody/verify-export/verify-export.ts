// `recvault verify-export`: checks an export package the way its recipient would, with nothing
// but the package (and optionally the sender's public key): the bag against its manifests, the
// custody records against the payload, the audit entries' chain against the signed checkpoint,
// the signature, and the timestamp's imprint. Every check gives a finding, passed or failed.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { auditEntryHash, type AuditEntry } from '../../audit/audit-hash.ts';
import type { JsonObject } from '../../audit/canonical-json.ts';
import type {
  ExportCheck,
  ExportFinding,
  ExportVerifyReport,
} from '../../contract/export-verification.ts';
import { sha256FileSized } from '../../convert/sha256.ts';
import { MANIFEST_FILE_NAMES } from '../../convert/manifest.ts';
import {
  BAG_INFO_TXT,
  BAGIT_TXT,
  CUSTODY,
  MANIFEST,
  PAYLOAD_DIR,
  TAG_MANIFEST,
} from '../bag/bag-names.ts';
import { CUSTODY_RECORD_SCHEMA } from '../bag/custody-records.ts';
import { checkpointDigest, verifyCheckpointSignature, type Checkpoint } from '../checkpoint.ts';
import { verifyMerkleAuditPath } from '../merkle.ts';
import { isSafeBagPath, parseManifest, parseTagFile } from './bag-text.ts';
import { openPackage, PackageError } from './open-package.ts';
import { verifyTimestampToken } from '../tsa-client.ts';

export interface VerifyExportRequest {
  path: string;
  /** The sender's public key (PEM), given apart from the package; else the package's own. */
  publicKeyFile?: string | undefined;
  /** The TSA's CA certificate (PEM), to check the timestamp's signature and chain. */
  tsaCaFile?: string | undefined;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const recordSchema = z.object({
  schema: z.literal(CUSTODY_RECORD_SCHEMA),
  file: z.string(),
  outputSha256: hex64,
  outputBytes: z.number(),
  conversion: z.string(),
  source: z.object({
    recordingId: z.number(),
    provider: z.string(),
    account: z.string(),
    remoteId: z.string(),
    downloadedAt: z.string().nullable(),
    storageHost: z.string().nullable(),
    originalSha256: hex64,
  }),
  auditSeqs: z.array(z.number().int()),
  merkle: z
    .object({
      leafIndex: z.number().int(),
      treeSize: z.number().int(),
      auditPath: z.array(hex64),
    })
    .optional(),
});
type Record_ = z.infer<typeof recordSchema>;
const entrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: hex64,
  hash: hex64,
});

class Findings {
  readonly list: ExportFinding[] = [];
  pass(check: ExportCheck, message: string, subject: string | null = null): void {
    this.list.push({ check, ok: true, subject, message });
  }
  fail(check: ExportCheck, message: string, subject: string | null = null): void {
    this.list.push({ check, ok: false, subject, message });
  }
  failedIn(check: ExportCheck): boolean {
    return this.list.some((f) => f.check === check && !f.ok);
  }
}

export async function verifyExport(request: VerifyExportRequest): Promise<ExportVerifyReport> {
  const findings = new Findings();
  const report = (bag: string, extra: Partial<ExportVerifyReport> = {}): ExportVerifyReport => ({
    ok: findings.list.length > 0 && findings.list.every((f) => f.ok),
    bag,
    payloadFiles: 0,
    keyFingerprint: null,
    head: null,
    ...extra,
    findings: findings.list,
  });
  let opened;
  try {
    opened = await openPackage(path.resolve(request.path));
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    findings.fail('package', error.message);
    return report(request.path);
  }
  try {
    return await checkBag(opened.root, request, findings, report);
  } finally {
    await opened.close();
  }
}

async function checkBag(
  root: string,
  request: VerifyExportRequest,
  findings: Findings,
  report: (bag: string, extra?: Partial<ExportVerifyReport>) => ExportVerifyReport,
): Promise<ExportVerifyReport> {
  const file = (name: string) => path.join(root, ...name.split('/'));
  const readText = (name: string) => fs.readFile(file(name), 'utf8').catch(() => null);
  const readBytes = (name: string) => fs.readFile(file(name)).catch(() => null);
  const allFiles = await listFiles(root);

  // bagit.txt: the declaration (RFC 8493 §2.1.1).
  const declaration = parseTagFile((await readText(BAGIT_TXT)) ?? '');
  const version = declaration.find((t) => t.label === 'BagIt-Version')?.value;
  const encoding = declaration.find((t) => t.label === 'Tag-File-Character-Encoding')?.value;
  if (version && /^\d+\.\d+$/.test(version) && encoding?.toUpperCase() === 'UTF-8') {
    findings.pass('bagit', `BagIt ${version}, tag files in UTF-8.`, BAGIT_TXT);
  } else {
    findings.fail(
      'bagit',
      'bagit.txt does not declare BagIt-Version and UTF-8 tag files.',
      BAGIT_TXT,
    );
  }

  // The payload against manifest-sha256.txt, both ways.
  const payload = allFiles.filter((name) => name.startsWith(`${PAYLOAD_DIR}/`));
  const actual = new Map<string, { sha256: string; bytes: number }>();
  for (const name of payload) actual.set(name, await sha256FileSized(file(name)));
  const manifestText = await readText(MANIFEST);
  const manifestHashes = new Map<string, string>();
  if (manifestText === null) {
    findings.fail('payload', `${MANIFEST} is missing.`, MANIFEST);
  } else {
    const { lines, problems } = parseManifest(manifestText);
    for (const problem of problems) findings.fail('payload', `${MANIFEST}: ${problem}.`, MANIFEST);
    for (const line of lines) {
      manifestHashes.set(line.path, line.sha256);
      if (!isSafeBagPath(line.path) || !line.path.startsWith(`${PAYLOAD_DIR}/`)) {
        findings.fail('payload', `${MANIFEST} names a path outside data/: ${line.path}`, line.path);
        continue;
      }
      const found = actual.get(line.path);
      if (!found) findings.fail('payload', 'listed in the manifest but missing.', line.path);
      else if (found.sha256 !== line.sha256) {
        findings.fail(
          'payload',
          `changed: SHA-256 ${found.sha256}, the manifest says ${line.sha256}.`,
          line.path,
        );
      }
    }
    for (const name of payload) {
      if (!manifestHashes.has(name))
        findings.fail('payload', 'in data/ but not in the manifest.', name);
    }
    if (!findings.failedIn('payload')) {
      findings.pass('payload', `${payload.length} payload file(s) match ${MANIFEST}.`, MANIFEST);
    }
  }

  // bag-info.txt's Payload-Oxum: octets and file count (§2.2.2).
  const info = parseTagFile((await readText(BAG_INFO_TXT)) ?? '');
  const oxum = info.find((t) => t.label === 'Payload-Oxum')?.value;
  const octets = [...actual.values()].reduce((sum, f) => sum + f.bytes, 0);
  const expectedOxum = `${octets}.${payload.length}`;
  if (oxum === undefined)
    findings.fail('bag-info', 'bag-info.txt has no Payload-Oxum.', BAG_INFO_TXT);
  else if (oxum !== expectedOxum) {
    findings.fail(
      'bag-info',
      `Payload-Oxum ${oxum}, the payload is ${expectedOxum}.`,
      BAG_INFO_TXT,
    );
  } else findings.pass('bag-info', `Payload-Oxum ${oxum} holds.`, BAG_INFO_TXT);

  // The tag manifest covers every tag file, each unchanged.
  const tagText = await readText(TAG_MANIFEST);
  if (tagText === null) {
    findings.fail('tag-manifest', `${TAG_MANIFEST} is missing.`, TAG_MANIFEST);
  } else {
    const { lines, problems } = parseManifest(tagText);
    for (const problem of problems)
      findings.fail('tag-manifest', `${TAG_MANIFEST}: ${problem}.`, TAG_MANIFEST);
    const listed = new Set<string>();
    for (const line of lines) {
      listed.add(line.path);
      if (!isSafeBagPath(line.path) || line.path.startsWith(`${PAYLOAD_DIR}/`)) {
        findings.fail(
          'tag-manifest',
          `names a path that is not a tag file: ${line.path}`,
          line.path,
        );
        continue;
      }
      const bytes = await readBytes(line.path);
      if (bytes === null)
        findings.fail('tag-manifest', 'listed in the tag manifest but missing.', line.path);
      else if (sha256(bytes) !== line.sha256) {
        findings.fail(
          'tag-manifest',
          'changed since the bag was made (SHA-256 differs from the tag manifest).',
          line.path,
        );
      }
    }
    const tagFiles = allFiles.filter(
      (n) => !n.startsWith(`${PAYLOAD_DIR}/`) && !/^tagmanifest-\w+\.txt$/.test(n),
    );
    for (const name of tagFiles) {
      if (!listed.has(name))
        findings.fail('tag-manifest', 'a tag file the tag manifest does not cover.', name);
    }
    if (!findings.failedIn('tag-manifest')) {
      findings.pass(
        'tag-manifest',
        `${tagFiles.length} tag file(s) match ${TAG_MANIFEST}.`,
        TAG_MANIFEST,
      );
    }
  }

  // The audit entries: each hash recomputed, each linked to the one before.
  const entries: AuditEntry[] = [];
  const auditText = await readText(CUSTODY.audit);
  if (auditText === null)
    findings.fail('audit-chain', 'custody/audit-entries.jsonl is missing.', CUSTODY.audit);
  else {
    for (const [index, line] of auditText.split('\n').entries()) {
      if (line === '') continue;
      const parsed = entrySchema.safeParse(parseJson(line));
      if (!parsed.success) {
        findings.fail('audit-chain', `line ${index + 1} is not an audit entry.`, CUSTODY.audit);
        continue;
      }
      entries.push({ ...parsed.data, details: parsed.data.details as JsonObject });
    }
    let previous: AuditEntry | null = null;
    for (const entry of entries) {
      if (auditEntryHash(entry) !== entry.hash) {
        findings.fail(
          'audit-chain',
          `entry ${entry.seq} (${entry.action}) does not hash to its recorded hash: it was edited.`,
          `seq ${entry.seq}`,
        );
      }
      if (previous && (entry.seq !== previous.seq + 1 || entry.prevHash !== previous.hash)) {
        findings.fail(
          'audit-chain',
          `entry ${entry.seq} does not link to entry ${previous.seq}.`,
          `seq ${entry.seq}`,
        );
      }
      previous = entry;
    }
  }

  // The checkpoint: its signature by the key, and the chain reaching its head.
  const checkpointBytes = await readBytes(CUSTODY.checkpoint);
  const signature = await readBytes(CUSTODY.signature);
  const includedKey = await readText(CUSTODY.publicKey);
  let givenKey: string | null = null;
  if (request.publicKeyFile) {
    givenKey = await fs.readFile(request.publicKeyFile, 'utf8').catch(() => null);
    if (givenKey === null)
      findings.fail(
        'signature',
        `cannot read the public key ${request.publicKeyFile}.`,
        request.publicKeyFile,
      );
  }
  let checkpoint: Checkpoint | null = null;
  if (!checkpointBytes || !signature) {
    findings.fail(
      'checkpoint',
      'custody/checkpoint.json or its .sig is missing.',
      CUSTODY.checkpoint,
    );
  } else {
    const key = givenKey ?? includedKey;
    const keyName = givenKey !== null ? request.publicKeyFile! : CUSTODY.publicKey;
    if (key === null)
      findings.fail(
        'signature',
        'no public key: custody/public-key.pem is missing.',
        CUSTODY.publicKey,
      );
    else {
      const check = verifyCheckpointSignature(checkpointBytes, signature, key);
      checkpoint = check.checkpoint ?? null;
      if (check.ok)
        findings.pass(
          'signature',
          `checkpoint ${check.checkpoint.seq} is signed by ${keyName} (key ${check.checkpoint.keyFingerprint}).`,
          CUSTODY.signature,
        );
      else if (!check.checkpoint) findings.fail('checkpoint', check.problem, CUSTODY.checkpoint);
      else {
        // Edited checkpoint bytes and a key that did not sign them fail alike: name both.
        findings.fail(
          'signature',
          `${check.problem} (checked ${CUSTODY.checkpoint} and ${CUSTODY.signature} with ${keyName})`,
          CUSTODY.checkpoint,
        );
      }
    }
    if (
      givenKey !== null &&
      includedKey !== null &&
      normalizePem(givenKey) !== normalizePem(includedKey)
    ) {
      findings.fail(
        'signature',
        `custody/public-key.pem is not the key given (${request.publicKeyFile}).`,
        CUSTODY.publicKey,
      );
    }
  }
  if (checkpoint) {
    const last = entries.at(-1);
    const { headSeq, headHash } = checkpoint.audit;
    if (!last)
      findings.fail(
        'checkpoint',
        'no audit entries to reach the checkpoint with.',
        CUSTODY.checkpoint,
      );
    else if (last.seq !== headSeq || last.hash !== headHash) {
      findings.fail(
        'checkpoint',
        `the audit entries end at ${last.seq} (${last.hash.slice(0, 12)}…), the checkpoint's head is ${headSeq} (${headHash.slice(0, 12)}…).`,
        CUSTODY.checkpoint,
      );
    } else if (!findings.failedIn('audit-chain')) {
      findings.pass(
        'audit-chain',
        `${entries.length} audit entries, ${entries[0]!.seq}–${last.seq}, chain to the checkpoint's head.`,
        CUSTODY.audit,
      );
      // An unsigned head vouches for nothing: the signature's finding already says why.
      if (!findings.failedIn('signature')) {
        findings.pass(
          'checkpoint',
          `checkpoint ${checkpoint.seq} of ${checkpoint.createdAt} commits to audit head ${headSeq}.`,
          CUSTODY.checkpoint,
        );
      }
    }
  }

  checkRecords(
    await readText(CUSTODY.records),
    manifestHashes,
    actual,
    entries,
    checkpoint,
    findings,
  );
  await checkTimestamp(
    await readBytes(CUSTODY.timestamp),
    checkpointBytes,
    request.tsaCaFile ?? null,
    findings,
  );
  return report(root, {
    payloadFiles: payload.length,
    keyFingerprint: checkpoint?.keyFingerprint ?? null,
    head: checkpoint ? { seq: checkpoint.audit.headSeq, hash: checkpoint.audit.headHash } : null,
  });
}

/** Each record's output is in the payload with its hash; its source's archived hash is audited. */
function checkRecords(
  text: string | null,
  manifest: Map<string, string>,
  actual: Map<string, { sha256: string }>,
  entries: readonly AuditEntry[],
  checkpoint: Checkpoint | null,
  findings: Findings,
): void {
  if (text === null) {
    findings.fail('custody-records', 'custody/records.jsonl is missing.', CUSTODY.records);
    return;
  }
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  const recorded = new Set<string>();
  let count = 0;
  let proven = 0;
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const parsed = recordSchema.safeParse(parseJson(line));
    if (!parsed.success) {
      findings.fail(
        'custody-records',
        `line ${index + 1} is not a custody record.`,
        CUSTODY.records,
      );
      continue;
    }
    count++;
    const record: Record_ = parsed.data;
    recorded.add(record.file);
    const where = `${CUSTODY.records} line ${index + 1} (${record.file})`;
    const listed = manifest.get(record.file);
    const onDisk = actual.get(record.file)?.sha256;
    if (!listed || !onDisk)
      findings.fail('custody-records', `${where}: names a file not in the payload.`, record.file);
    else if (listed !== record.outputSha256 || onDisk !== record.outputSha256) {
      findings.fail(
        'custody-records',
        `${where}: outputSha256 ${record.outputSha256} is not the payload file's ${onDisk}.`,
        record.file,
      );
    }
    const about = record.auditSeqs.map((seq) => bySeq.get(seq));
    const subject = `recording:${record.source.recordingId}`;
    if (about.some((e) => !e || e.subject !== subject)) {
      findings.fail(
        'custody-records',
        `${where}: auditSeqs name entries that are not about ${subject}.`,
        record.file,
      );
    }
    const archived = about.filter((e) => e?.action === 'recording.archived');
    const vouched = archived.some(
      (e) =>
        e!.details.sha256 === record.source.originalSha256 &&
        e!.details.remoteId === record.source.remoteId,
    );
    if (!vouched) {
      findings.fail(
        'custody-records',
        `${where}: no audited "recording.archived" entry for ${record.source.remoteId} with originalSha256 ${record.source.originalSha256}.`,
        record.file,
      );
    }
    // The checkpoint's Merkle root commits to the whole archive: this file's original is in it.
    const merkle = record.merkle;
    if (merkle && checkpoint) {
      const { merkleRoot: root, fileCount } = checkpoint.archive;
      if (
        merkle.treeSize !== fileCount ||
        !verifyMerkleAuditPath(
          record.source.originalSha256,
          merkle.leafIndex,
          merkle.treeSize,
          merkle.auditPath,
          root,
        )
      ) {
        findings.fail(
          'custody-records',
          `${where}: originalSha256 is not in the checkpoint's archive Merkle tree (root ${root.slice(0, 12)}…, ${fileCount} files) at leaf ${merkle.leafIndex}.`,
          record.file,
        );
      } else proven++;
    }
  }
  // The export's own manifests are payload too, but are not recordings.
  const exportManifests = new Set(MANIFEST_FILE_NAMES.map((name) => `${PAYLOAD_DIR}/${name}`));
  for (const name of manifest.keys()) {
    if (!recorded.has(name) && !exportManifests.has(name)) {
      findings.fail('custody-records', 'a payload file with no custody record.', name);
    }
  }
  if (!findings.failedIn('custody-records')) {
    findings.pass(
      'custody-records',
      `${count} custody record(s) match the payload and the audit entries; ${proven} original(s) proven in the checkpoint's archive Merkle tree.`,
      CUSTODY.records,
    );
  }
}

async function checkTimestamp(
  tsr: Buffer | null,
  checkpointBytes: Buffer | null,
  tsaCaFile: string | null,
  findings: Findings,
): Promise<void> {
  if (!tsr) {
    findings.pass('timestamp', "not timestamped: the checkpoint's time is the sender's clock.");
    return;
  }
  if (!checkpointBytes) return;
  // Custody's own token check: granted, the imprint is checkpoint.json's SHA-256, and with the
  // TSA's CA the token's signature and chain (openssl ts -verify).
  const check = await verifyTimestampToken(
    tsr,
    checkpointBytes,
    checkpointDigest(checkpointBytes),
    tsaCaFile,
  );
  if (!check.ok) {
    findings.fail('timestamp', check.problem ?? 'the token does not verify.', CUSTODY.timestamp);
  } else if (tsaCaFile) {
    findings.pass(
      'timestamp',
      `stamped ${check.time ?? '(time unreadable)'} over checkpoint.json, by a TSA that chains to ${tsaCaFile}.`,
      CUSTODY.timestamp,
    );
  } else {
    findings.pass(
      'timestamp',
      `the token stamps checkpoint.json's SHA-256 at ${check.time ?? '(time unreadable)'}; its TSA signature and chain are not checked without --tsa-ca FILE (or openssl ts -verify, custody/README.txt).`,
      CUSTODY.timestamp,
    );
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    )
    .sort();
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

function normalizePem(pem: string): string {
  return pem.replace(/\s+/g, '');
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
