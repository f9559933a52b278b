import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import { listAudit } from '../audit/read-audit.ts';
import { AppError } from '../app-error.ts';
import type { LibraryPage, LibraryQuery, RecordingDetail } from '../contract/types.ts';
import { listAccounts } from '../db/accounts.ts';
import type { Recording } from '../db/recording-row.ts';
import { getRecording, setNotes, setTags } from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';
import { inTransaction } from '../db/transaction.ts';
import { InvalidCursorError } from '../db/search/cursor.ts';
import { searchRecordings } from '../db/search/search-recordings.ts';
import { matchingIds } from '../db/search/matching-ids.ts';
import { listTags } from '../db/search/tag-list.ts';
import type { SyncRequest } from '../sync/job-spec.ts';
import { retryRecordings } from '../sync/retry-recordings.ts';
import type { JobView } from '../contract/types.ts';
import { withCompliance } from '../compliance/row-annotations.ts';
import { withIntegrity } from './integrity-annotation.ts';
import { recordingDetailView, recordingRowView } from './recording-views.ts';

/** Searching and annotating the index: what the library screen and `recvault search` use. */
export class LibraryService {
  readonly #db: Db;
  readonly #actor: AuditActor;

  constructor(db: Db, actor: AuditActor) {
    this.#db = db;
    this.#actor = actor;
  }

  search(
    query: LibraryQuery,
    cursor: string | null,
    limit: number,
    withTotal: boolean,
  ): LibraryPage {
    let page;
    try {
      page = searchRecordings(this.#db, { ...query, cursor, limit, withTotal });
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        throw new AppError('invalid_arguments', 'That page of results has expired: search again.');
      }
      throw error;
    }
    const names = this.#accountNames();
    return {
      rows: withIntegrity(
        this.#db,
        withCompliance(
          this.#db,
          page.rows.map((row) => recordingRowView(row, names.get(row.accountId) ?? '')),
        ),
      ),
      nextCursor: page.nextCursor,
      total: page.total ?? null,
      ...(page.totalCapped ? { totalCapped: true } : {}),
    };
  }

  get(id: number): RecordingDetail {
    const recording = this.require(id);
    const audit = listAudit(this.#db, { subject: `recording:${id}`, limit: 200 }).map((entry) => ({
      seq: entry.seq,
      at: entry.at,
      action: entry.action,
      actor: entry.actor,
      details: entry.details,
    }));
    const [detail] = withIntegrity(
      this.#db,
      withCompliance(this.#db, [
        recordingDetailView(recording, this.#accountNames().get(recording.accountId) ?? '', audit),
      ]),
    );
    return detail!;
  }

  update(id: number, change: { notes?: string; tags?: string[] }): RecordingDetail {
    this.require(id);
    inTransaction(this.#db, () => {
      if (change.notes !== undefined) {
        setNotes(this.#db, id, change.notes);
        appendAudit(this.#db, {
          actor: this.#actor,
          action: 'recording.notes_changed',
          subject: `recording:${id}`,
          details: { length: change.notes.length },
        });
      }
      if (change.tags !== undefined) {
        const updated = setTags(this.#db, id, change.tags);
        appendAudit(this.#db, {
          actor: this.#actor,
          action: 'recording.tags_changed',
          subject: `recording:${id}`,
          details: { tags: updated.tags },
        });
      }
    });
    return this.get(id);
  }

  /**
   * Adds `add` to, or removes `remove` from, each recording given by ids or by a query (the
   * library's "all results"), in one transaction with an audit entry per recording changed.
   * Returns the ids changed, for the `libraryChanged` event.
   */
  tagMany(
    target: { recordingIds: readonly number[]; query: LibraryQuery | null },
    change: { add?: string | null; remove?: string | null },
  ): { matched: number; changed: number[] } {
    if (target.recordingIds.length > 0 && target.query) {
      throw new AppError('invalid_arguments', 'Give recording ids or a query, not both.');
    }
    const ids = target.query
      ? matchingIds(this.#db, target.query)
      : [...new Set(target.recordingIds)];
    if (ids.length === 0) {
      throw new AppError('invalid_arguments', 'Nothing to tag: no recording matches.');
    }
    const add = change.add?.trim() || null;
    const removeKey = change.remove?.trim().toLocaleLowerCase() || null;
    const changed: number[] = [];
    inTransaction(this.#db, () => {
      const missing = ids.filter((id) => !getRecording(this.#db, id));
      if (missing.length > 0) {
        throw new AppError('not_found', `No recording with id ${missing.slice(0, 5).join(', ')}.`);
      }
      for (const id of ids) {
        const before = getRecording(this.#db, id)!.tags;
        const has = (tag: string) =>
          before.some((t) => t.toLocaleLowerCase() === tag.toLocaleLowerCase());
        let next: string[] | null = null;
        if (add !== null && !has(add)) next = [...before, add];
        if (removeKey !== null && has(removeKey)) {
          next = before.filter((t) => t.toLocaleLowerCase() !== removeKey);
        }
        if (next === null) continue;
        const updated = setTags(this.#db, id, next);
        appendAudit(this.#db, {
          actor: this.#actor,
          action: 'recording.tags_changed',
          subject: `recording:${id}`,
          details: { tags: updated.tags },
        });
        changed.push(id);
      }
    });
    return { matched: ids.length, changed };
  }

  /** The selection's "Retry": not-archived recordings asked for again, one sync per account. */
  retry(
    recordingIds: readonly number[],
    start: (accountId: number, request: SyncRequest) => JobView,
  ): { jobs: JobView[]; queued: number; alreadyArchived: number } {
    return retryRecordings({ db: this.#db, start }, recordingIds);
  }

  tags(): { tags: { tag: string; count: number }[] } {
    return { tags: listTags(this.#db) };
  }

  require(id: number): Recording {
    const recording = getRecording(this.#db, id);
    if (!recording) throw new AppError('not_found', `No recording with id ${id}.`);
    return recording;
  }

  #accountNames(): Map<number, string> {
    return new Map(listAccounts(this.#db, { includeRemoved: true }).map((a) => [a.id, a.name]));
  }
}
