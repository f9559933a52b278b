import { sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../app-error.ts';
import { GENESIS_HASH } from '../audit/audit-hash.ts';
import type { CheckpointView } from '../contract/custody.ts';
import {
  archivedDigestsInIdOrder,
  auditHashesBetween,
  checkpointRow,
  countCheckpoints,
  firstCheckpointCovering,
  insertCheckpointRow,
  latestCheckpointRow,
  pendingTimestampRows,
  setCheckpointTimestamp,
  type CheckpointRow,
} from '../db/checkpoints.ts';
import { readAuditHead } from '../db/audit-log.ts';
import type { Db } from '../db/sqlite.ts';
import { inWriteTransaction } from '../db/transaction.ts';
import { APP_NAME, APP_VERSION } from '../version.ts';
import {
  canonicalCheckpointBytes,
  CHECKPOINT_FORMAT,
  checkpointDigest,
  checkpointFileName,
  checkpointsDir,
  entryHashesDigest,
  publicKeyFileName,
  type Checkpoint,
  type CheckpointReason,
} from './checkpoint.ts';
import { CHECKPOINTS_README } from './checkpoints-readme.ts';
import { writeFileDurableSync } from '../durable/write-durable.ts';
import { merkleRoot } from './merkle.ts';
import { missingKeyError, type SigningKey, type SigningKeySource } from './signing-key.ts';
import { genTimeIso, parseTimeStampResponse, requestTimestamp } from './tsa-client.ts';

export interface CheckpointServiceDeps {
  db: Db;
  dataDir: string;
  /** Where the installation's key is kept; null: this engine has none (checkpoints refused). */
  keySource: SigningKeySource | null;
  /**
   * Make the key on the first checkpoint when there is none and no checkpoint was ever made (the
   * app: its key is the installation's, kept with the keychain). Never once checkpoints exist:
   * a new key then would sign over whatever the index now says.
   */
  createKeyOnFirstUse: boolean;
  /** The TSA for this run (its URL), or null when timestamps are off. */
  tsaUrl: () => string | null;
  now?: () => Date;
}

/** Signed checkpoints: made after syncs, exports, verifications and disposals, and on demand. */
export class CheckpointService {
  readonly #deps: CheckpointServiceDeps;
  /** Checkpoints are made one at a time, so two never take the same seq or range. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(deps: CheckpointServiceDeps) {
    this.#deps = deps;
  }

  get keySource(): SigningKeySource | null {
    return this.#deps.keySource;
  }

  /** The installation's key; a clear error when it is missing. */
  requireKey(): SigningKey {
    const source = this.#deps.keySource;
    if (!source) throw new AppError('unsupported', 'This engine has no signing key configured.');
    const key = source.load();
    if (key) return key;
    if (this.#deps.createKeyOnFirstUse && countCheckpoints(this.#deps.db) === 0) {
      return source.create();
    }
    throw missingKeyError(source);
  }

  /**
   * Signs and stores a checkpoint of the audit head and the archive's Merkle root, then asks the
   * TSA (when configured) to timestamp it and any earlier checkpoint still pending. A TSA that
   * fails leaves the checkpoint signed, its timestamp pending.
   */
  recordCheckpoint(
    reason: CheckpointReason,
    options: { tsaUrl?: string | null } = {},
  ): Promise<CheckpointView> {
    const run = this.#queue.then(async () => {
      const key = this.requireKey();
      const tsaUrl = options.tsaUrl ?? this.#deps.tsaUrl();
      const row = this.#sign(key, reason, tsaUrl);
      if (tsaUrl) await this.#stampPending(tsaUrl);
      return this.#view(checkpointRow(this.#deps.db, row.seq)!);
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * After a job or an export: a checkpoint when a key is there to sign it. Without one (a CLI
   * user who never ran `recvault key init`) the work itself must not fail; null is returned.
   */
  async checkpointIfKeyed(reason: CheckpointReason): Promise<CheckpointView | null> {
    const source = this.#deps.keySource;
    if (!source) return null;
    try {
      if (
        !source.load() &&
        !(this.#deps.createKeyOnFirstUse && countCheckpoints(this.#deps.db) === 0)
      ) {
        return null;
      }
      return await this.recordCheckpoint(reason);
    } catch (error) {
      if (!this.#deps.db.open) return null;
      throw error;
    }
  }

  latest(): CheckpointView | null {
    const row = latestCheckpointRow(this.#deps.db);
    return row ? this.#view(row) : null;
  }

  /** The first checkpoint that covers audit entry `auditSeq` (a recording's custody panel). */
  covering(auditSeq: number): CheckpointView | null {
    const row = firstCheckpointCovering(this.#deps.db, auditSeq);
    return row ? this.#view(row) : null;
  }

  /** Retries the TSA for every pending checkpoint; how many got their timestamp. */
  retryTimestamps(tsaUrl?: string | null): Promise<number> {
    const url = tsaUrl ?? this.#deps.tsaUrl();
    if (!url) return Promise.resolve(0);
    const run = this.#queue.then(() => this.#stampPending(url));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #sign(key: SigningKey, reason: CheckpointReason, tsaUrl: string | null): CheckpointRow {
    const { db, dataDir } = this.#deps;
    return inWriteTransaction(db, () => {
      const head = readAuditHead(db) ?? { seq: 0, hash: GENESIS_HASH };
      const previous = latestCheckpointRow(db);
      const fromSeq = previous ? previous.audit_seq + 1 : 1;
      const entryHashes = auditHashesBetween(db, fromSeq, head.seq);
      const leaves = archivedDigestsInIdOrder(db);
      const createdAt = (this.#deps.now?.() ?? new Date()).toISOString();
      const checkpoint: Checkpoint = {
        format: CHECKPOINT_FORMAT,
        seq: (previous?.seq ?? 0) + 1,
        createdAt,
        reason,
        audit: {
          headSeq: head.seq,
          headHash: head.hash,
          range: { fromSeq, toSeq: head.seq, entryHashesSha256: entryHashesDigest(entryHashes) },
        },
        archive: {
          fileCount: leaves.length,
          merkleRoot: merkleRoot(leaves),
          tree: 'rfc6962-sha256/recording-id',
        },
        keyFingerprint: key.fingerprint,
        software: `${APP_NAME} ${APP_VERSION}`,
      };
      const bytes = canonicalCheckpointBytes(checkpoint);
      const signature = sign(null, bytes, key.privateKey);
      const fileName = checkpointFileName(checkpoint);
      const row: CheckpointRow = {
        seq: checkpoint.seq,
        created_at: createdAt,
        reason,
        audit_seq: head.seq,
        audit_hash: head.hash,
        merkle_root: checkpoint.archive.merkleRoot,
        file_count: leaves.length,
        key_fingerprint: key.fingerprint,
        public_key_pem: key.publicKeyPem,
        body: bytes,
        signature,
        entry_hashes: entryHashes.join('\n'),
        file_name: fileName,
        tsa_state: tsaUrl ? 'pending' : 'off',
        tsa_url: tsaUrl,
        tsr: null,
        tsa_error: null,
      };
      // The files first: should writing them fail, the row rolls back with them.
      const folder = checkpointsDir(dataDir);
      fs.mkdirSync(folder, { recursive: true });
      const readme = path.join(folder, 'README.txt');
      if (!fs.existsSync(readme)) writeFileDurableSync(readme, CHECKPOINTS_README);
      const keyFile = path.join(folder, publicKeyFileName(key.fingerprint));
      if (!fs.existsSync(keyFile)) writeFileDurableSync(keyFile, key.publicKeyPem);
      const file = path.join(folder, fileName);
      writeFileDurableSync(`${file}.audit`, entryHashes.map((hash) => `${hash}\n`).join(''));
      writeFileDurableSync(`${file}.sig`, signature);
      writeFileDurableSync(file, bytes, { noClobber: true });
      insertCheckpointRow(db, row);
      return row;
    });
  }

  async #stampPending(tsaUrl: string): Promise<number> {
    const { db, dataDir } = this.#deps;
    let stamped = 0;
    for (const row of pendingTimestampRows(db)) {
      try {
        const { tsr } = await requestTimestamp(tsaUrl, checkpointDigest(row.body));
        writeFileDurableSync(path.join(checkpointsDir(dataDir), `${row.file_name}.tsr`), tsr);
        setCheckpointTimestamp(db, row.seq, {
          tsa_state: 'stamped',
          tsa_url: tsaUrl,
          tsr,
          tsa_error: null,
        });
        stamped += 1;
      } catch (error) {
        setCheckpointTimestamp(db, row.seq, {
          tsa_state: 'pending',
          tsa_url: tsaUrl,
          tsr: null,
          tsa_error: (error as Error).message,
        });
        // The TSA is down: the others would fail the same way; they wait for the next try.
        break;
      }
    }
    return stamped;
  }

  #view(row: CheckpointRow): CheckpointView {
    let time: string | null = null;
    if (row.tsr) {
      try {
        const info = parseTimeStampResponse(row.tsr).tstInfo;
        time = info ? genTimeIso(info.genTime) : null;
      } catch {
        time = null;
      }
    }
    return {
      seq: row.seq,
      createdAt: row.created_at,
      reason: row.reason,
      auditSeq: row.audit_seq,
      auditHash: row.audit_hash,
      merkleRoot: row.merkle_root,
      fileCount: row.file_count,
      keyFingerprint: row.key_fingerprint,
      file: path.join(checkpointsDir(this.#deps.dataDir), row.file_name),
      timestamp: { state: row.tsa_state, tsaUrl: row.tsa_url, time, error: row.tsa_error },
    };
  }
}
