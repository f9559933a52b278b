import { AppError } from '../app-error.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import type { HoldAddResult, HoldView } from '../contract/compliance.ts';
import type { LibraryQuery } from '../contract/types.ts';
import {
  addHoldItems,
  existingRecordingIds,
  findLiveHold,
  getHold,
  insertHold,
  listHolds,
  releaseHold,
  type HoldRow,
} from '../db/holds.ts';
import { matchingIds } from '../db/search/matching-ids.ts';
import type { Db } from '../db/sqlite.ts';
import { inWriteTransaction } from '../db/transaction.ts';

/**
 * Legal holds: a matter holds recordings (picked in the library, by a query or by ids) until it
 * is released with a reason. Every change is one audit entry in the same transaction.
 */
export class HoldService {
  readonly #db: Db;
  readonly #actor: AuditActor;

  constructor(db: Db, actor: AuditActor) {
    this.#db = db;
    this.#actor = actor;
  }

  list(): HoldView[] {
    return listHolds(this.#db).map(view);
  }

  create(input: { name: string; reference: string; description: string }): HoldView {
    return inWriteTransaction(this.#db, () => {
      if (findLiveHold(this.#db, input.name)) {
        throw new AppError('conflict', `A legal hold named "${input.name}" already exists.`);
      }
      const hold = insertHold(this.#db, { ...input, createdBy: this.#actor });
      appendAudit(this.#db, {
        actor: this.#actor,
        action: 'hold.created',
        subject: `hold:${hold.id}`,
        details: { name: hold.name, reference: hold.reference, description: hold.description },
      });
      return view(hold);
    });
  }

  /** Puts recordings on a live matter: by id, or every recording a library query matches. */
  add(name: string, recordingIds: readonly number[], query: LibraryQuery | null): HoldAddResult {
    if (recordingIds.length > 0 && query) {
      throw new AppError('invalid_arguments', 'Give recording ids or a query, not both.');
    }
    const ids = query ? matchingIds(this.#db, query) : [...new Set(recordingIds)];
    if (ids.length === 0) {
      throw new AppError('invalid_arguments', 'Nothing to hold: no recording matches.');
    }
    return inWriteTransaction(this.#db, () => {
      const hold = this.#live(name);
      const known = existingRecordingIds(this.#db, ids);
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length > 0) {
        throw new AppError('not_found', `No recording with id ${unknown.slice(0, 5).join(', ')}.`);
      }
      const added = addHoldItems(this.#db, hold.id, ids, this.#actor);
      appendAudit(this.#db, {
        actor: this.#actor,
        action: 'hold.recordings_added',
        subject: `hold:${hold.id}`,
        details: {
          name: hold.name,
          added: added.length,
          alreadyHeld: ids.length - added.length,
          recordingIds: added,
          ...(query ? { query: JSON.parse(JSON.stringify(query)) as Record<string, never> } : {}),
        },
      });
      return {
        hold: view(getHold(this.#db, hold.id)!),
        added: added.length,
        alreadyHeld: ids.length - added.length,
      };
    });
  }

  release(name: string, reason: string): HoldView {
    if (reason.trim() === '') {
      throw new AppError('invalid_arguments', 'Releasing a legal hold needs a reason.');
    }
    return inWriteTransaction(this.#db, () => {
      const hold = this.#live(name);
      releaseHold(this.#db, hold.id, this.#actor, reason.trim());
      appendAudit(this.#db, {
        actor: this.#actor,
        action: 'hold.released',
        subject: `hold:${hold.id}`,
        details: { name: hold.name, reason: reason.trim(), recordings: hold.recordings },
      });
      return view(getHold(this.#db, hold.id)!);
    });
  }

  /** The live matter of this name, for an export per matter. */
  requireLive(name: string): HoldView {
    return view(this.#live(name));
  }

  #live(name: string): HoldRow {
    const hold = findLiveHold(this.#db, name);
    if (!hold)
      throw new AppError('not_found', `No legal hold named "${name}" (or it was released).`);
    return hold;
  }
}

function view(row: HoldRow): HoldView {
  return { ...row };
}
