import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../app-error.ts';
import { assertSafeRelativePath } from '../archive/inside-archive.ts';
import { SIDECAR_SUFFIX } from '../archive/sidecar.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import type {
  DisposalItem,
  DisposalPreview,
  DisposalResult,
  RetentionRuleView,
} from '../contract/compliance.ts';
import { keepLabel, parseKeep } from '../contract/compliance.ts';
import type { ProviderName } from '../contract/vocabulary.ts';
import { listAccounts } from '../db/accounts.ts';
import { recordDisposal, shaStillArchived } from '../db/disposals.ts';
import { liveHoldNames } from '../db/holds.ts';
import {
  archivedRecordedBefore,
  listRetentionRules,
  upsertRetentionRule,
  type RetentionRuleRow,
} from '../db/retention.ts';
import type { Db } from '../db/sqlite.ts';
import { inTransaction, inWriteTransaction } from '../db/transaction.ts';
import { effectiveRule, keepOf, retentionCutoff, ruleLabel } from './retention-rules.ts';

export interface DisposalServiceDeps {
  db: Db;
  actor: AuditActor;
  archiveDir: () => string;
  cacheDir: string;
  now?: () => Date;
  /**
   * Called after a disposal that removed files. The custody checkpoint (issue 12) hooks in here
   * to sign the archive's new state; until it is wired, nothing is called.
   */
  afterDisposal?: (result: DisposalResult) => Promise<void> | void;
  /** Recordings changed (the library refreshes). */
  changed?: (recordingIds: number[]) => void;
  /**
   * Why the team vault keeps a recording that the local rule would let go (issue 17: under
   * COMPLIANCE retention until a later date the store refuses its deletion), or null. Such a
   * recording stays in the queue's kept list with that reason, never among the eligible.
   */
  vaultLock?: (recordingId: number) => { reason: string; until: string } | null;
}

/**
 * Local retention and defensible disposal: rules per account or global, the queue they make
 * eligible (never a held recording), and disposal of that queue once a person confirmed its
 * count — media, sidecar and derived copies deleted, a tombstone and an audit entry kept.
 */
export class DisposalService {
  readonly #deps: DisposalServiceDeps;

  constructor(deps: DisposalServiceDeps) {
    this.#deps = deps;
  }

  #now(): Date {
    return this.#deps.now?.() ?? new Date();
  }

  rules(): RetentionRuleView[] {
    const names = this.#accountNames();
    return listRetentionRules(this.#deps.db).map((rule) => ruleView(rule, names));
  }

  setRule(accountId: number | null, keepText: string): RetentionRuleView {
    const keep = parseKeep(keepText);
    if (!keep) throw new AppError('invalid_arguments', 'Keep takes 90d, 7y or forever.');
    const names = this.#accountNames();
    if (accountId !== null && !names.has(accountId)) {
      throw new AppError('not_found', `No account with id ${accountId}.`);
    }
    const { db, actor } = this.#deps;
    return inWriteTransaction(db, () => {
      const row = upsertRetentionRule(
        db,
        {
          accountId,
          keepCount: keep.forever ? null : keep.count,
          keepUnit: keep.forever ? null : keep.unit,
        },
        actor,
        this.#now(),
      );
      appendAudit(db, {
        actor,
        action: 'retention.set',
        subject: accountId === null ? 'retention:global' : `account:${accountId}`,
        details: { accountId, keep: keepLabel(keep) },
      });
      return ruleView(row, names);
    });
  }

  /** What the rules make eligible now, and what they would but a legal hold keeps. */
  preview(): DisposalPreview {
    return this.#queue().preview;
  }

  /** The preview, and the checksum of each eligible file as the index has it. */
  #queue(): {
    preview: DisposalPreview;
    facts: Map<number, { sha256: string; accountId: number }>;
  } {
    const { db } = this.#deps;
    const facts = new Map<number, { sha256: string; accountId: number }>();
    const now = this.#now();
    const rules = listRetentionRules(db);
    const accounts = listAccounts(db, { includeRemoved: true });
    const eligible: DisposalItem[] = [];
    const held: DisposalItem[] = [];
    for (const account of accounts) {
      const rule = effectiveRule(rules, account.id);
      if (!rule) continue;
      const cutoff = retentionCutoff(keepOf(rule), now);
      if (!cutoff) continue;
      const rows = archivedRecordedBefore(db, account.id, cutoff.toISOString());
      const holds = liveHoldNames(
        db,
        rows.filter((row) => row.held).map((row) => row.id),
      );
      const label = ruleLabel(rule, account.name);
      for (const row of rows) {
        const item: DisposalItem = {
          recordingId: row.id,
          accountName: account.name,
          provider: row.provider as ProviderName,
          remoteId: row.remoteId,
          recordedAt: row.recordedAt,
          size: row.size,
          localPath: row.localPath,
          rule: label,
          holds: holds.get(row.id) ?? [],
        };
        const locked = row.held ? null : (this.#deps.vaultLock?.(row.id) ?? null);
        if (locked) {
          item.holds = [locked.reason];
          item.vaultRetainUntil = locked.until;
        }
        (row.held || locked ? held : eligible).push(item);
        if (!row.held && !locked) {
          facts.set(row.id, { sha256: row.sha256, accountId: row.accountId });
        }
      }
    }
    const preview = {
      asOf: now.toISOString(),
      eligible,
      eligibleBytes: eligible.reduce((sum, item) => sum + item.size, 0),
      held,
    };
    return { preview, facts };
  }

  /**
   * Disposes of the queue the person saw: refused unless it still holds exactly `count`
   * recordings, so nobody confirms one number and destroys another. Each recording's
   * tombstone, index change, audit entry and file removal happen together: if the file cannot
   * be removed, the row stays archived and the failure is reported.
   */
  async confirm(count: number): Promise<DisposalResult> {
    const { db, actor } = this.#deps;
    const { preview, facts } = this.#queue();
    if (preview.eligible.length !== count) {
      throw new AppError(
        'conflict',
        `The disposal queue now holds ${preview.eligible.length} recording(s), not ${count}: review it again.`,
      );
    }
    const root = this.#deps.archiveDir();
    const result: DisposalResult = { disposed: [], disposedBytes: 0, kept: [], failed: [] };
    for (const item of preview.eligible) {
      const { sha256, accountId } = facts.get(item.recordingId)!;
      const media = path.join(root, ...assertSafeRelativePath(item.localPath));
      try {
        const done = inTransaction(db, () => {
          const disposedAt = this.#now().toISOString();
          const taken = recordDisposal(db, {
            recordingId: item.recordingId,
            accountId,
            provider: item.provider,
            remoteId: item.remoteId,
            localPath: item.localPath,
            sha256,
            size: item.size,
            recordedAt: item.recordedAt,
            disposedAt,
            rule: item.rule,
            actor,
          });
          if (!taken) return false;
          appendAudit(db, {
            actor,
            action: 'recording.disposed',
            subject: `recording:${item.recordingId}`,
            details: {
              remoteId: item.remoteId,
              sha256,
              size: item.size,
              recordedAt: item.recordedAt,
              rule: item.rule,
              path: item.localPath,
            },
          });
          // Last, inside the transaction: a file that cannot be removed rolls the row back.
          removeFile(media);
          removeFile(media + SIDECAR_SUFFIX);
          return true;
        });
        if (!done) {
          result.kept.push(item);
          continue;
        }
      } catch (error) {
        result.failed.push({
          recordingId: item.recordingId,
          reason: error instanceof Error ? error.message : String(error),
        });
        continue;
      }
      // Derived copies are cached by SHA-256: another archived recording may share the bytes.
      if (!shaStillArchived(db, sha256)) await removeDerivedCopies(this.#deps.cacheDir, sha256);
      result.disposed.push(item);
      result.disposedBytes += item.size;
    }
    appendAudit(db, {
      actor,
      action: 'disposal.run',
      subject: 'archive',
      details: {
        confirmed: count,
        disposed: result.disposed.length,
        bytes: result.disposedBytes,
        kept: result.kept.length,
        failed: result.failed.length,
        held: preview.held.length,
      },
    });
    if (result.disposed.length > 0) {
      this.#deps.changed?.(result.disposed.map((item) => item.recordingId));
      await this.#deps.afterDisposal?.(result);
    }
    return result;
  }

  #accountNames(): Map<number, string> {
    return new Map(
      listAccounts(this.#deps.db, { includeRemoved: true }).map((a) => [a.id, a.name]),
    );
  }
}

function ruleView(rule: RetentionRuleRow, names: Map<number, string>): RetentionRuleView {
  const accountName = rule.accountId === null ? null : (names.get(rule.accountId) ?? null);
  const keep = keepOf(rule);
  return {
    accountId: rule.accountId,
    accountName,
    keep,
    label: ruleLabel(rule, accountName),
    updatedBy: rule.updatedBy,
    updatedAt: rule.updatedAt,
  };
}

function removeFile(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Peaks and drag copies are cached by the file's SHA-256 (media/peaks.ts, drag/drag-files.ts). */
async function removeDerivedCopies(cacheDir: string, sha256: string): Promise<void> {
  for (const folder of ['peaks', 'drag']) {
    const dir = path.join(cacheDir, folder);
    const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.startsWith(`${sha256}-`))) {
      await fs.promises.rm(path.join(dir, name), { recursive: true, force: true });
    }
  }
}
