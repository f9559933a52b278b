// Turns a folder whose data/ holds an export's files into an RFC 8493 bag: the custody/ tag
// files, bagit.txt, bag-info.txt, the payload manifest and the tag manifest, in that order (the
// tag manifest last, since it covers all the others).
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AuditEntry } from '../../audit/audit-hash.ts';
import { sha256FileSized } from '../../convert/sha256.ts';
import {
  BAG_INFO_TXT,
  BAGIT_TXT,
  CUSTODY,
  MANIFEST,
  PAYLOAD_DIR,
  TAG_MANIFEST,
} from './bag-names.ts';
import type { CheckpointFiles } from './checkpoint-port.ts';
import type { CustodyRecord } from './custody-records.ts';
import { custodyReadme } from './readme-text.ts';

export interface BagTags {
  records: readonly CustodyRecord[];
  auditEntries: readonly AuditEntry[];
  checkpoint: CheckpointFiles;
  organization: string | null;
  /** "Recvault 0.1.0" */
  software: string;
  /** The export's id, as External-Identifier. */
  externalId: string;
  baggingDate: Date;
}

export interface BagWritten {
  /** SHA-256 of manifest-sha256.txt: the export's audit entry records it. */
  manifestSha256: string;
  tagManifestSha256: string;
  payloadOxum: string;
}

/** Writes the tag files into `root` (whose data/ is complete). Refuses to replace a file. */
export async function writeBagTags(
  root: string,
  tags: BagTags,
  signal?: AbortSignal,
): Promise<BagWritten> {
  const payload = await listFiles(path.join(root, PAYLOAD_DIR));
  let octets = 0;
  const manifestLines: string[] = [];
  for (const relative of payload) {
    const { sha256, bytes } = await sha256FileSized(path.join(root, PAYLOAD_DIR, relative), signal);
    octets += bytes;
    manifestLines.push(`${sha256}  ${encodePath(`${PAYLOAD_DIR}/${relative}`)}\n`);
  }
  const payloadOxum = `${octets}.${payload.length}`;

  const write = async (name: string, content: string | Buffer): Promise<void> => {
    const target = path.join(root, ...name.split('/'));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, content, { flag: 'wx' });
  };
  const { checkpoint } = tags;
  await write(CUSTODY.checkpoint, checkpoint.bytes);
  await write(CUSTODY.signature, checkpoint.signature);
  if (checkpoint.tsr) await write(CUSTODY.timestamp, checkpoint.tsr);
  await write(CUSTODY.publicKey, checkpoint.publicKeyPem);
  await write(CUSTODY.records, tags.records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  await write(CUSTODY.audit, tags.auditEntries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  await write(
    CUSTODY.readme,
    custodyReadme({
      software: tags.software,
      organization: tags.organization,
      timestamped: checkpoint.tsr !== null,
      files: payload.length,
      percentInNames: payload.some((name) => name.includes('%')),
    }),
  );
  await write(BAGIT_TXT, 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
  await write(
    BAG_INFO_TXT,
    [
      ...(tags.organization ? [`Source-Organization: ${oneLine(tags.organization)}`] : []),
      `Bagging-Date: ${tags.baggingDate.toISOString().slice(0, 10)}`,
      `Payload-Oxum: ${payloadOxum}`,
      `Bag-Software-Agent: ${tags.software}`,
      `External-Identifier: ${tags.externalId}`,
      `External-Description: Call recordings with their custody records and a signed checkpoint of the archive's audit log.`,
    ]
      .map((line) => `${line}\n`)
      .join(''),
  );
  const manifest = manifestLines.join('');
  await write(MANIFEST, manifest);

  const tagFiles = (await listFiles(root)).filter(
    (name) => !name.startsWith(`${PAYLOAD_DIR}/`) && name !== TAG_MANIFEST,
  );
  const tagLines: string[] = [];
  for (const name of tagFiles) {
    const { sha256 } = await sha256FileSized(path.join(root, name), signal);
    tagLines.push(`${sha256}  ${encodePath(name)}\n`);
  }
  const tagManifest = tagLines.join('');
  await write(TAG_MANIFEST, tagManifest);
  return { manifestSha256: sha256(manifest), tagManifestSha256: sha256(tagManifest), payloadOxum };
}

/** Every file under `dir`, relative with forward slashes, sorted (byte order). */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    )
    .sort();
}

/** RFC 8493 §2.1.3: a manifest's file path percent-encodes CR, LF and % (nothing else). */
export function encodePath(name: string): string {
  return name.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A bag-info value is one line (a long value could be folded; a newline would end it). */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').trim();
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
