// What the custody/ folder says about each exported file: where its source came from (never a
// URL with a query or a secret: only the provider's host name), what the archive recorded when
// it was downloaded, what the export did to it, and which audit entries speak about it.
import { entryFromRow, type AuditEntry } from '../../audit/audit-hash.ts';
import type { JsonObject } from '../../audit/canonical-json.ts';
import type { ExportedFile } from '../../convert/index.ts';
import { settingsSummary } from '../../convert/manifest.ts';
import { getAccount, type Account } from '../../db/accounts.ts';
import { auditRowsBetween, auditSeqsForSubject } from '../../db/audit-excerpt.ts';
import { archivedLeavesInIdOrder } from '../../db/archived-leaves.ts';
import { getRecording } from '../../db/recordings.ts';
import type { Checkpoint } from '../checkpoint.ts';
import { merkleAuditPath, merkleRoot } from '../merkle.ts';
import type { Db } from '../../db/sqlite.ts';

export const CUSTODY_RECORD_SCHEMA = 'recvault-custody-record/1';

/** One line of custody/records.jsonl. */
export interface CustodyRecord {
  schema: typeof CUSTODY_RECORD_SCHEMA;
  /** The payload file, as the manifests name it (data/…). */
  file: string;
  outputSha256: string;
  outputBytes: number;
  /** The conversion applied ("format=original codec=copy …" for a byte copy). */
  conversion: string;
  channel: string;
  source: {
    recordingId: number;
    provider: string;
    account: string;
    remoteId: string;
    sessionId: string | null;
    callId: string | null;
    recordedAt: string | null;
    /** When the archive finished downloading it (ISO 8601). */
    downloadedAt: string | null;
    /** The host the recording was fetched through: a host name only, never a URL. */
    storageHost: string | null;
    originalSha256: string;
    originalBytes: number;
  };
  /** Seqs of the audit entries about this recording (in custody/audit-entries.jsonl). */
  auditSeqs: number[];
  /**
   * RFC 6962 audit path of originalSha256 in the checkpoint's archive Merkle tree (leaf
   * `leafIndex` of `treeSize`); absent when the archive changed between the checkpoint and
   * this read, so the tree could not be rebuilt exactly.
   */
  merkle?: { leafIndex: number; treeSize: number; auditPath: string[] };
}

export function custodyRecords(
  db: Db,
  outputs: readonly ExportedFile[],
  checkpoint: Pick<Checkpoint, 'audit' | 'archive'>,
): CustodyRecord[] {
  const headSeq = checkpoint.audit.headSeq;
  const proof = merkleProver(db, checkpoint.archive.merkleRoot);
  const accounts = new Map<number, Account | null>();
  return outputs.map((output) => {
    const recordingId = Number(output.recordingId);
    const recording = getRecording(db, recordingId);
    let account: Account | null = null;
    if (recording) {
      if (!accounts.has(recording.accountId)) {
        accounts.set(recording.accountId, getAccount(db, recording.accountId));
      }
      account = accounts.get(recording.accountId) ?? null;
    }
    return {
      schema: CUSTODY_RECORD_SCHEMA,
      file: `data/${output.outputName}`,
      outputSha256: output.outputSha256,
      outputBytes: output.outputBytes,
      conversion: settingsSummary(output.settings),
      channel: output.channel,
      source: {
        recordingId,
        provider: output.provider,
        account: output.accountName,
        remoteId: output.remoteId,
        sessionId: output.sessionId,
        callId: output.callId,
        recordedAt: output.recordedAt,
        downloadedAt: recording?.archivedAt ?? null,
        storageHost: account ? storageHost(account) : null,
        originalSha256: output.sourceSha256,
        originalBytes: output.sourceBytes,
      },
      auditSeqs: auditSeqsForSubject(db, `recording:${recordingId}`, headSeq),
      ...(proof ? proof(recordingId, output.sourceSha256) : {}),
    };
  });
}

/**
 * The entries from the first one any record names up to the checkpoint's head, every one of
 * them: each entry's hash covers its whole content and the previous hash, so a recipient can
 * only recompute the links with all the entries in between.
 */
export function auditExcerpt(
  db: Db,
  records: readonly CustodyRecord[],
  headSeq: number,
): AuditEntry[] {
  const seqs = records.flatMap((r) => r.auditSeqs);
  const from = seqs.length ? Math.min(...seqs) : headSeq;
  const entries: AuditEntry[] = [];
  for (const row of auditRowsBetween(db, from, headSeq)) {
    entries.push(entryFromRow(row, JSON.parse(row.details_json) as JsonObject));
  }
  return entries;
}

/** Audit paths in the checkpoint's tree, or null when today's archive no longer gives its root. */
function merkleProver(
  db: Db,
  root: string,
): ((id: number, sha256: string) => Pick<CustodyRecord, 'merkle'>) | null {
  const leaves = archivedLeavesInIdOrder(db);
  const digests = leaves.map((leaf) => leaf.sha256);
  if (merkleRoot(digests) !== root) return null;
  const index = new Map(leaves.map((leaf, i) => [leaf.id, i]));
  return (id, sha256) => {
    const leafIndex = index.get(id);
    if (leafIndex === undefined || digests[leafIndex] !== sha256) return {};
    return {
      merkle: {
        leafIndex,
        treeSize: digests.length,
        auditPath: merkleAuditPath(digests, leafIndex),
      },
    };
  };
}

/** The account's API host: URL parsing drops any path, query, or user:password. */
export function storageHost(account: Account): string | null {
  const base = account.provider === 'koreai' ? account.settings.host : account.settings.baseUrl;
  try {
    return new URL(/^https?:\/\//.test(base) ? base : `https://${base}`).host;
  } catch {
    return null;
  }
}
