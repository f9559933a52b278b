import type { S3Client } from '@aws-sdk/client-s3';
import { secretSource, type SecretAccess } from '../accounts/secret-ref.ts';
import { AppError } from '../app-error.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import type { Db } from '../db/sqlite.ts';
import { recordBundle } from '../db/vault-bundles.ts';
import { forgetSecret } from '../accounts/secret-ref.ts';
import {
  getVaultTarget,
  lastVaultedAt,
  pendingVaultItems,
  requeueVaultItem,
  setVaultTarget,
  vaultCounts,
  vaultedItems,
  vaultRetainUntil,
  type VaultTargetRow,
} from '../db/vault.ts';
import type {
  VaultCheckpointsResult,
  VaultStatus,
  VaultSyncResult,
  VaultTargetView,
  VaultTestResult,
  VaultVerifyResult,
} from '../contract/vault.ts';
import type { VaultMode } from '../contract/vocabulary.ts';
import { pullRecordings } from './attach.ts';
import { checkBucket } from './bucket-check.ts';
import { makeS3Client } from './client.ts';
import { normalisePrefix } from './keys.ts';
import { retainUntilFor, type FiniteKeep } from './retain-until.ts';
import { drainQueue, enqueueMissing, reconcileHolds } from './upload-queue.ts';
import { compareCheckpoints } from './verify-checkpoints.ts';
import { verifyObjects } from './verify.ts';
import { resolveVaultKeys, storeVaultKeys, type VaultKeysInput } from './vault-keys.ts';

export interface VaultServiceDeps {
  db: Db;
  secrets: SecretAccess;
  archiveDir: () => string;
  dataDir: string;
  /** Whether a live legal hold holds the recording (compliance/holds). */
  isHeld: (recordingId: number) => boolean;
  /** A recording's date and its finite retention rule (null: none, or forever). */
  retentionOf: (recordingId: number) => { recordedAt: string | null; keep: FiniteKeep | null };
  now?: () => Date;
  /** Rebuilds the index from the archive's files and sidecars (integrity/reindex). */
  reindex?: () => Promise<unknown>;
  /** Test seam: called after each PUT, before its row says vaulted. */
  afterPut?: () => void;
  /** The status changed (the app listens: vaultChanged); called at most every 250 ms. */
  changed?: () => void;
  /** Who the audit log names for an attach (the index built from the vault). */
  actor?: AuditActor;
}

export interface VaultTargetInput {
  endpoint: string;
  bucket: string;
  region: string;
  prefix: string;
  mode: VaultMode;
  retainDays: number;
  attach: boolean;
  /** With attach: also copy every media file into this archive (by default none is). */
  copyMedia?: boolean;
}

/** The team vault of one data directory: its target, the upload queue, verification. */
export class VaultService {
  readonly #deps: VaultServiceDeps;
  #lastError: string | null = null;
  /** One sync at a time: two would HEAD and PUT the same rows. */
  #running: Promise<unknown> = Promise.resolve();
  /** Work under way (sync, attach, verify, hold change): status says busy while > 0. */
  #busy = 0;
  #attaching: VaultStatus['attaching'] = null;
  #lastChanged = 0;
  #changedTimer: NodeJS.Timeout | null = null;

  constructor(deps: VaultServiceDeps) {
    this.#deps = deps;
  }

  status(): VaultStatus {
    const target = getVaultTarget(this.#deps.db);
    const counts = target ? vaultCounts(this.#deps.db) : { queued: 0, vaulted: 0, failed: 0 };
    const failures = target
      ? pendingVaultItems(this.#deps.db, 20, Number.MAX_SAFE_INTEGER)
          .filter((item) => item.state === 'failed')
          .map((item) => ({ item: item.objectKey, reason: item.lastError ?? '' }))
      : [];
    return {
      target: target ? view(target) : null,
      ...counts,
      lastUploadAt: target ? lastVaultedAt(this.#deps.db) : null,
      busy: this.#busy > 0,
      attaching: this.#attaching,
      lastError: this.#lastError,
      failures,
    };
  }

  /**
   * Sets the vault target after checking the bucket as `vault test` does: a bucket without
   * Object Lock (or keys that cannot write, read or set retention) is refused and nothing is
   * kept, so records are never believed immutable on a store that is not.
   */
  async add(input: VaultTargetInput, keys: VaultKeysInput): Promise<VaultStatus> {
    await this.#tracked(() => this.#add(input, keys));
    return this.status(); // once the work is done: not busy
  }

  async #add(input: VaultTargetInput, keys: VaultKeysInput): Promise<VaultStatus> {
    const refs = storeVaultKeys(this.#deps.secrets, keys);
    const row: VaultTargetRow = {
      kind: 's3',
      endpoint: input.endpoint,
      bucket: input.bucket,
      region: input.region,
      prefix: normalisePrefix(input.prefix),
      ...refs,
      mode: input.mode,
      retainDays: input.retainDays,
      attached: input.attach,
      addedAt: this.#now().toISOString(),
    };
    const refused = (detail: string) => {
      forgetSecret(this.#deps.secrets, refs.accessKeyRef);
      forgetSecret(this.#deps.secrets, refs.secretKeyRef);
      return new AppError('conflict', `The vault was not added: ${detail}`);
    };
    const result = await this.#check(row).catch((error: unknown) => {
      throw refused((error as Error).message);
    });
    if (!result.ok) throw refused(result.checks.find((check) => !check.ok)!.detail);
    setVaultTarget(this.#deps.db, row);
    if (input.attach) await this.#pull(row, input.copyMedia ?? false);
    return this.status();
  }

  /**
   * vault attach: the recordings other officers put in the vault indexed from their sidecars
   * (day bundles), their objects recorded as vaulted so nothing is written again; the media
   * stays in the vault (played and exported from it, copied on demand) unless `copyMedia`.
   */
  async #pull(target: VaultTargetRow, copyMedia: boolean): Promise<void> {
    try {
      await this.#copyIn(target, copyMedia);
    } finally {
      this.#attaching = null;
    }
  }

  /** #pull's steps; `attaching` shows the progress until the index is complete and synced. */
  async #copyIn(target: VaultTargetRow, copyMedia: boolean): Promise<void> {
    const pulled = await this.#withClient(target, (s3) =>
      pullRecordings(s3, {
        db: this.#deps.db,
        target,
        archiveDir: this.#deps.archiveDir(),
        copyMedia,
        now: this.#now(),
        onProgress: (copied, total) => {
          this.#attaching = { copied, total, copyingMedia: copyMedia };
          this.#changed();
        },
      }),
    );
    // The recordings the bundles cover are not bundled again by this directory's syncs.
    for (const bundle of pulled.bundles) {
      recordBundle(
        this.#deps.db,
        {
          objectKey: bundle.key,
          sha256: bundle.sha256,
          size: bundle.size,
          versionId: bundle.versionId,
          lockMode: null,
          retainUntil: null,
          written: false,
        },
        bundle.mediaKeys,
        this.#now(),
      );
    }
    // The index now holds what the vault said: on the audit log, with where it came from.
    if (this.#deps.actor) {
      appendAudit(this.#deps.db, {
        actor: this.#deps.actor,
        action: 'index.rebuilt',
        subject: 'vault',
        details: {
          bucket: target.bucket,
          prefix: target.prefix,
          bundles: pulled.bundles.length,
          sidecarsRead: pulled.sidecarsRead,
          indexed: pulled.recordings,
          mediaCopied: pulled.copied,
          problems: pulled.problems.length,
        },
      });
    }
    await this.#deps.reindex?.();
    await this.sync();
    if (pulled.problems.length) {
      const first = pulled.problems[0]!;
      this.#lastError = `${pulled.problems.length} recording(s) could not be ${copyMedia ? 'copied' : 'indexed'} from the vault: ${first.objectKey}: ${first.reason}`;
    }
  }

  async test(): Promise<VaultTestResult> {
    return this.#check(this.#requireTarget());
  }

  /** Back-fills the queue and uploads it; a failure is kept for status, never thrown at a sync. */
  async afterWork(): Promise<void> {
    try {
      if (!getVaultTarget(this.#deps.db)) return;
      const result = await this.sync();
      this.#lastError = result.failed.length
        ? `${result.failed.length} object(s) could not be vaulted: ${result.failed[0]!.reason}`
        : null;
    } catch (error) {
      this.#lastError = `The vault upload failed: ${(error as Error).message}`;
    }
    this.#changed(true);
  }

  /**
   * A legal hold was placed or released: the vault's objects follow at once (PutObjectLegalHold
   * ON or OFF), not at the next sync. A failure is kept for status and retried by every sync.
   */
  async afterHoldChange(): Promise<void> {
    const run = this.#running.then(() =>
      this.#tracked(async () => {
        const target = getVaultTarget(this.#deps.db);
        if (!target) return;
        await this.#withClient(target, (s3) => reconcileHolds(this.#queueDeps(target, s3)));
      }),
    );
    this.#running = run.catch(() => undefined);
    try {
      await run;
    } catch (error) {
      this.#lastError = `The vault's legal holds could not be updated: ${(error as Error).message}`;
    }
    this.#changed(true);
  }

  sync(): Promise<VaultSyncResult> {
    const run = this.#running.then(() => this.#tracked(() => this.#sync()));
    this.#running = run.catch(() => undefined);
    return run;
  }

  async #sync(): Promise<VaultSyncResult> {
    const target = this.#requireTarget();
    return this.#withClient(target, async (s3) => {
      const deps = this.#queueDeps(target, s3);
      const queuedNow = enqueueMissing(deps);
      const drained = await drainQueue(deps);
      return { queuedNow, ...drained };
    });
  }

  /** Re-reads the objects (all, or a random sample) and names what differs or is missing. */
  verify(sample: number | null): Promise<VaultVerifyResult> {
    return this.#tracked(() => this.#verify(sample));
  }

  async #verify(sample: number | null): Promise<VaultVerifyResult> {
    const target = this.#requireTarget();
    return this.#withClient(target, async (s3) => {
      const items = vaultedItems(this.#deps.db, null);
      const result = await verifyObjects(s3, target.bucket, items, sample);
      // What the store no longer holds as recorded is not vaulted: queued to be written again.
      for (const finding of result.findings) {
        const item = items.find((i) => i.objectKey === finding.objectKey);
        if (item && finding.problem !== 'unreadable') {
          requeueVaultItem(
            this.#deps.db,
            item.item,
            `vault verify: ${finding.detail}`,
            this.#now(),
          );
        }
      }
      return result;
    });
  }

  async checkpoints(): Promise<VaultCheckpointsResult> {
    const target = this.#requireTarget();
    return this.#withClient(target, (s3) =>
      compareCheckpoints(s3, target.bucket, target.prefix, this.#deps.dataDir),
    );
  }

  /**
   * Why a recording cannot be disposed of yet, or null: the vault holds it under COMPLIANCE
   * retention until a later date (the store would refuse the delete; nobody can shorten it).
   */
  disposalRefusal(recordingId: number): { reason: string; until: string } | null {
    if (!getVaultTarget(this.#deps.db)) return null;
    const lock = vaultRetainUntil(this.#deps.db, recordingId);
    if (!lock || lock.mode !== 'COMPLIANCE') return null;
    if (Date.parse(lock.until) <= this.#now().getTime()) return null;
    return {
      reason: `the team vault keeps it under compliance retention until ${lock.until.slice(0, 10)}`,
      until: lock.until,
    };
  }

  /** Runs work that changes the status: busy meanwhile, the app told at start and end. */
  async #tracked<T>(run: () => Promise<T>): Promise<T> {
    this.#busy++;
    // At once: a start held back by the 250 ms spacing was dropped by the end's own message
    // (it clears the timer), so a short upload right after another change never showed busy.
    this.#changed(true);
    try {
      return await run();
    } finally {
      this.#busy--;
      this.#changed(true);
    }
  }

  /** Tells the app the status changed: at once, or once the 250 ms since the last have passed. */
  #changed(now = false): void {
    const notify = this.#deps.changed;
    if (!notify) return;
    const wait = this.#lastChanged + 250 - Date.now();
    if (now || wait <= 0) {
      if (this.#changedTimer) clearTimeout(this.#changedTimer);
      this.#changedTimer = null;
      this.#lastChanged = Date.now();
      notify();
    } else if (!this.#changedTimer) {
      this.#changedTimer = setTimeout(() => this.#changed(true), wait);
      this.#changedTimer.unref();
    }
  }

  #now(): Date {
    return this.#deps.now?.() ?? new Date();
  }

  #requireTarget(): VaultTargetRow {
    const target = getVaultTarget(this.#deps.db);
    if (!target) {
      throw new AppError(
        'not_found',
        'No team vault is set up: run recvault vault add s3 … first.',
      );
    }
    return target;
  }

  async #check(target: VaultTargetRow): Promise<VaultTestResult> {
    return this.#withClient(target, async (s3) => {
      const mode = target.mode === 'compliance' ? 'COMPLIANCE' : 'GOVERNANCE';
      const checks = await checkBucket(s3, target.bucket, target.prefix, mode);
      return { ok: checks.length === 6 && checks.every((c) => c.ok), checks };
    });
  }

  async #withClient<T>(target: VaultTargetRow, run: (s3: S3Client) => Promise<T>): Promise<T> {
    const keys = resolveVaultKeys(this.#deps.secrets, target);
    const s3 = makeS3Client({ endpoint: target.endpoint, region: target.region, ...keys });
    try {
      return await run(s3);
    } finally {
      s3.destroy();
    }
  }

  #queueDeps(target: VaultTargetRow, s3: S3Client) {
    const { db, dataDir } = this.#deps;
    return {
      db,
      s3,
      target,
      archiveDir: this.#deps.archiveDir(),
      dataDir,
      isHeld: this.#deps.isHeld,
      retainUntil: (recordingId: number | null, now: Date) => {
        const of = recordingId === null ? null : this.#deps.retentionOf(recordingId);
        return retainUntilFor(of?.recordedAt ?? null, of?.keep ?? null, target.retainDays, now);
      },
      now: () => this.#now(),
      onItemDone: () => this.#changed(),
      ...(this.#deps.afterPut ? { afterPut: this.#deps.afterPut } : {}),
    };
  }
}

function view(row: VaultTargetRow): VaultTargetView {
  const access = secretSource(row.accessKeyRef);
  const secret = secretSource(row.secretKeyRef);
  return {
    kind: row.kind,
    endpoint: row.endpoint,
    bucket: row.bucket,
    region: row.region,
    prefix: row.prefix,
    mode: row.mode,
    retainDays: row.retainDays,
    keys:
      access.source === 'env'
        ? { source: 'env', accessKeyEnv: access.env!, secretKeyEnv: secret.env ?? '' }
        : { source: 'encrypted' },
    attached: row.attached,
    addedAt: row.addedAt,
  };
}

/**
 * Test seam (RECVAULT_TEST_VAULT_KILL_AFTER=N): SIGKILL this process right after its N-th PUT,
 * before the index records it, the worst moment for a crash.
 */
export function killAfterPuts(value: string | undefined): (() => void) | undefined {
  const limit = Number(value);
  if (!value || !Number.isInteger(limit) || limit < 1) return undefined;
  let puts = 0;
  return () => {
    if (++puts >= limit) process.kill(process.pid, 'SIGKILL');
  };
}
