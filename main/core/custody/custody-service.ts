import fs from 'node:fs';
import { AppError } from '../app-error.ts';
import { listAudit } from '../audit/read-audit.ts';
import type {
  CheckpointView,
  CustodySettingsView,
  CustodyStatus,
  SigningKeyView,
} from '../contract/custody.ts';
import type { Db } from '../db/sqlite.ts';
import path from 'node:path';
import { checkpointRowsInOrder } from '../db/checkpoints.ts';
import { verifyTimestampToken } from './tsa-client.ts';
import {
  checkpointDigest,
  readCheckpointFiles,
  type CheckpointReason,
  type StoredCheckpoint,
} from './checkpoint.ts';
import { CheckpointService } from './checkpoint-service.ts';
import { CustodySettingsStore } from './custody-settings.ts';
import type { SigningKeySource } from './signing-key.ts';
import { verifyCheckpoints, type CheckpointVerification } from './verify-checkpoints.ts';

export interface CustodyServiceDeps {
  db: Db;
  dataDir: string;
  keySource: SigningKeySource | null;
  createKeyOnFirstUse: boolean;
  /** A TSA for this run that overrides the setting (RECVAULT_TSA_URL), or null. */
  tsaUrlOverride: string | null;
}

/** The signing key, the checkpoints and the custody settings, behind the custody channels. */
export class CustodyService {
  readonly checkpoints: CheckpointService;
  readonly settings: CustodySettingsStore;
  readonly #deps: CustodyServiceDeps;
  /** Why the last automatic checkpoint failed (shown in Settings), or null. */
  #lastError: string | null = null;
  /** When the scheduled verification next runs (set by the scheduler), or null. */
  nextScheduledVerifyAt: string | null = null;

  constructor(deps: CustodyServiceDeps) {
    this.#deps = deps;
    this.settings = new CustodySettingsStore(deps.dataDir);
    this.checkpoints = new CheckpointService({
      db: deps.db,
      dataDir: deps.dataDir,
      keySource: deps.keySource,
      createKeyOnFirstUse: deps.createKeyOnFirstUse,
      tsaUrl: () => deps.tsaUrlOverride ?? this.settings.view().tsaUrl,
    });
  }

  /** A checkpoint for issue 14's disposals and anything else that changes custody. */
  recordCheckpoint(reason: CheckpointReason, tsaUrl?: string | null): Promise<CheckpointView> {
    return this.checkpoints.recordCheckpoint(reason, tsaUrl === undefined ? {} : { tsaUrl });
  }

  /**
   * A fresh checkpoint as the files a recipient receives (part B's bag writer): signed, and
   * timestamped when a TSA is configured and answers.
   */
  async checkpointNow(reason: CheckpointReason): Promise<StoredCheckpoint> {
    const view = await this.recordCheckpoint(reason);
    const stored = readCheckpointFiles(this.#deps.dataDir, path.basename(view.file));
    if (!stored) throw new Error(`Checkpoint ${view.seq}'s file ${view.file} is missing.`);
    return stored;
  }

  /**
   * After a sync, an export or a verification: a checkpoint when a key can sign it. A failure
   * must not fail the work it follows; it is kept and shown in Settings.
   */
  async afterWork(reason: CheckpointReason): Promise<void> {
    try {
      await this.checkpoints.checkpointIfKeyed(reason);
      this.#lastError = null;
    } catch (error) {
      this.#lastError = `The checkpoint after ${reason} failed: ${(error as Error).message}`;
    }
  }

  key(): SigningKeyView | null {
    const source = this.#deps.keySource;
    if (!source) return null;
    const key = source.load();
    return {
      kind: source.kind,
      location: source.location,
      publicKeyPem: key?.publicKeyPem ?? null,
      fingerprint: key?.fingerprint ?? null,
    };
  }

  createKey(): SigningKeyView {
    const source = this.#deps.keySource;
    if (!source) throw new Error('This engine has no signing key configured.');
    const key = source.create();
    return {
      kind: source.kind,
      location: source.location,
      publicKeyPem: key.publicKeyPem,
      fingerprint: key.fingerprint,
    };
  }

  updateSettings(change: Partial<CustodySettingsView>): CustodyStatus {
    const caFile = change.tsaCaFile;
    if (caFile && !fs.existsSync(caFile)) {
      // Saved, it would fail every later verification with an OpenSSL message instead.
      throw new AppError('invalid_arguments', `The TSA CA certificate ${caFile} does not exist.`);
    }
    this.settings.update(change);
    return this.status();
  }

  /** The newest verify.run entry's time. */
  lastVerifyAt(): string | null {
    return listAudit(this.#deps.db, { action: 'verify.run', limit: 1 })[0]?.at ?? null;
  }

  status(): CustodyStatus {
    let key: SigningKeyView | null;
    try {
      key = this.key();
    } catch {
      // An unreadable key is reported by checkpointing; the status still answers.
      key = null;
    }
    return {
      key,
      settings: this.settings.view(),
      lastCheckpoint: this.checkpoints.latest(),
      lastCheckpointError: this.#lastError,
      lastVerifyAt: this.lastVerifyAt(),
      nextScheduledVerifyAt: this.nextScheduledVerifyAt,
    };
  }

  /**
   * Every checkpoint against the log, with the installation's public key when it can be read
   * (else the first checkpoint's: every later one must be signed by the same key), and each
   * timestamp token against its checkpoint and, when set, the TSA's CA certificate.
   */
  async verifyCheckpoints(): Promise<CheckpointVerification> {
    let trusted: string | null;
    try {
      trusted = this.#deps.keySource?.load()?.publicKeyPem ?? null;
    } catch {
      trusted = null;
    }
    trusted ??= checkpointRowsInOrder(this.#deps.db)[0]?.public_key_pem ?? null;
    const result = verifyCheckpoints(this.#deps.db, this.#deps.dataDir, trusted);
    const caFile = this.settings.view().tsaCaFile;
    for (const row of checkpointRowsInOrder(this.#deps.db)) {
      if (row.tsa_state !== 'stamped' || !row.tsr) continue;
      const token = await verifyTimestampToken(
        row.tsr,
        row.body,
        checkpointDigest(row.body),
        caFile,
      );
      if (!token.ok) {
        result.problems.push({
          kind: 'checkpoint_timestamp',
          seq: null,
          message: `Checkpoint ${row.seq}'s timestamp: ${token.problem}`,
        });
      }
    }
    return result;
  }
}
