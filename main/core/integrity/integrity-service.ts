import type { EventBus } from '../api/event-bus.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import { verifyAudit } from '../audit/verify-audit.ts';
import type { AuditVerifyReport, VerifyReport } from '../contract/types.ts';
import type { CheckpointReason } from '../custody/checkpoint.ts';
import type { CustodyService } from '../custody/custody-service.ts';
import type { Db } from '../db/sqlite.ts';
import { reindexArchive, type ReindexReport } from './reindex.ts';
import { verifyArchive } from './verify-archive.ts';

export interface IntegrityServiceDeps {
  db: Db;
  archiveDir: () => string;
  actor: AuditActor;
  events: EventBus;
  /** Signed checkpoints (issue 12): checked with the log, and one made after each verification. */
  custody?: Pick<CustodyService, 'afterWork' | 'verifyCheckpoints'>;
  /** After a rebuild: files an older version named are renamed (archive/rename-to-readable). */
  afterReindex?: () => Promise<unknown>;
}

/** Proving the archive and its log, and rebuilding the index: each run leaves an audit entry. */
export class IntegrityService {
  readonly #deps: IntegrityServiceDeps;

  constructor(deps: IntegrityServiceDeps) {
    this.#deps = deps;
  }

  /** Re-hashes every archived file; progress goes out as `verifyProgress` events. */
  async verifyArchive(reason: CheckpointReason = 'verify'): Promise<VerifyReport> {
    const { db, actor, events } = this.#deps;
    const { summary } = await verifyArchive(db, this.#deps.archiveDir(), actor, (progress) =>
      events.emit('verifyProgress', progress),
    );
    await this.#deps.custody?.afterWork(reason);
    events.emit('verifyFinished', {
      checked: summary.checked,
      problems:
        summary.missing.length +
        summary.altered.length +
        summary.unindexed.length +
        summary.sidecarMismatches.length,
    });
    return summary;
  }

  /**
   * Checks the audit log's hash chain and every signed checkpoint against it (a log rewritten
   * with its hashes recomputed is intact as a chain, but no longer what a checkpoint signed),
   * and records that it was checked. A log found tampered with is never checkpointed: that
   * would sign the rewrite.
   */
  async verifyAudit(reason: CheckpointReason = 'verify'): Promise<AuditVerifyReport> {
    const { db, actor, custody } = this.#deps;
    const chain = verifyAudit(db);
    const checkpoints = (await custody?.verifyCheckpoints()) ?? { checked: 0, problems: [] };
    // The chain's own findings as before; then the checkpoints', earliest entry first.
    const problems: AuditVerifyReport['problems'] = [
      ...chain.problems,
      ...checkpoints.problems.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity)),
    ];
    const result = {
      ...chain,
      ok: problems.length === 0,
      problems,
      checkpoints: checkpoints.checked,
    };
    appendAudit(db, {
      actor,
      action: 'audit.verified',
      subject: 'audit',
      details: {
        ok: result.ok,
        checked: result.checked,
        checkpoints: checkpoints.checked,
        problems: problems.length,
      },
    });
    if (result.ok) await custody?.afterWork(reason);
    return result;
  }

  /** Rebuilds the index of archived recordings from the archive's files and sidecars. */
  async reindex(): Promise<ReindexReport> {
    const report = await reindexArchive(this.#deps.db, this.#deps.archiveDir(), this.#deps.actor);
    await this.#deps.afterReindex?.();
    return report;
  }
}
