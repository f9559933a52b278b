import type { EventBus } from '../api/event-bus.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import { verifyAudit, type AuditVerification } from '../audit/verify-audit.ts';
import type { VerifyReport } from '../contract/types.ts';
import type { Db } from '../db/sqlite.ts';
import { reindexArchive, type ReindexReport } from './reindex.ts';
import { verifyArchive } from './verify-archive.ts';

export interface IntegrityServiceDeps {
  db: Db;
  archiveDir: () => string;
  actor: AuditActor;
  events: EventBus;
}

/** Proving the archive and its log, and rebuilding the index: each run leaves an audit entry. */
export class IntegrityService {
  readonly #deps: IntegrityServiceDeps;

  constructor(deps: IntegrityServiceDeps) {
    this.#deps = deps;
  }

  /** Re-hashes every archived file; progress goes out as `verifyProgress` events. */
  async verifyArchive(): Promise<VerifyReport> {
    const { db, actor, events } = this.#deps;
    const { summary } = await verifyArchive(db, this.#deps.archiveDir(), actor, (progress) =>
      events.emit('verifyProgress', progress),
    );
    return summary;
  }

  /** Checks the audit log's hash chain, and records that it was checked. */
  verifyAudit(): AuditVerification {
    const { db, actor } = this.#deps;
    const result = verifyAudit(db);
    appendAudit(db, {
      actor,
      action: 'audit.verified',
      subject: 'audit',
      details: { ok: result.ok, checked: result.checked, problems: result.problems.length },
    });
    return result;
  }

  /** Rebuilds the index of archived recordings from the archive's files and sidecars. */
  reindex(): Promise<ReindexReport> {
    return reindexArchive(this.#deps.db, this.#deps.archiveDir(), this.#deps.actor);
  }
}
