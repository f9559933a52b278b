import { auditLogTriggers, auditRowsInOrder, readAuditHead } from '../db/audit-log.ts';
import type { AuditVerifyReport } from '../contract/types.ts';
import type { AuditRow } from '../db/audit-log.ts';
import type { Db } from '../db/sqlite.ts';
import { inReadTransaction } from '../db/transaction.ts';
import { auditEntryHash, entryFromRow, GENESIS_HASH } from './audit-hash.ts';
import type { JsonObject } from './canonical-json.ts';

export type AuditProblemKind =
  /** The row's content no longer matches its own hash. */
  | 'edited'
  /** Sequence numbers are missing: rows were deleted (from the middle, or the newest ones). */
  | 'missing'
  /** The row's prev_hash is not the previous row's hash: a row before it was replaced. */
  | 'broken_link'
  /** audit_head disagrees with the last row in a way deletion does not explain. */
  | 'head_mismatch'
  /** The append-only triggers are gone: nothing stops rewrites from here on. */
  | 'unprotected';

/** One finding; `seq` is the first affected entry, null for the log as a whole. */
export type AuditProblem = AuditVerifyReport['problems'][number] & { kind: AuditProblemKind };

/** The contract's report, its problems' kinds narrowed to the ones this check finds. */
export interface AuditVerification extends AuditVerifyReport {
  problems: AuditProblem[];
}

const PROTECTING_TRIGGERS = ['audit_log_no_update', 'audit_log_no_delete'];

/**
 * Re-derives every hash and link of the audit log and compares the end with audit_head.
 * Reads row by row, so it runs in constant memory however long the log is.
 */
export function verifyAudit(db: Db): AuditVerification {
  // Rows and head from one snapshot: an entry another process appends between reading the rows
  // and reading the head would otherwise read as entries deleted from the end.
  return inReadTransaction(db, () => verifySnapshot(db));
}

function verifySnapshot(db: Db): AuditVerification {
  const problems: AuditProblem[] = [];
  let checked = 0;
  let expectedSeq = 1;
  let previousHash = GENESIS_HASH;

  for (const row of auditRowsInOrder(db)) {
    checked += 1;
    const gap = row.seq - expectedSeq;
    if (gap > 0) {
      problems.push(missing(expectedSeq, gap));
    } else if (row.prev_hash !== previousHash) {
      // After a gap the link cannot match; the gap is the finding, not the link.
      problems.push({
        kind: 'broken_link',
        seq: row.seq,
        message: `Entry ${row.seq} does not link to entry ${row.seq - 1}: an earlier entry was replaced.`,
      });
    }
    if (!hashMatches(row)) {
      problems.push({
        kind: 'edited',
        seq: row.seq,
        message: `Entry ${row.seq} was changed after it was written.`,
      });
    }
    expectedSeq = row.seq + 1;
    previousHash = row.hash;
  }

  const lastSeq = expectedSeq - 1;
  checkHead(db, lastSeq, previousHash, problems);
  checkProtection(db, problems);
  return { ok: problems.length === 0, checked, lastSeq, lastHash: previousHash, problems };
}

function hashMatches(row: AuditRow): boolean {
  let details: JsonObject;
  try {
    details = JSON.parse(row.details_json) as JsonObject;
  } catch {
    return false;
  }
  return auditEntryHash(entryFromRow(row, details)) === row.hash;
}

function checkHead(db: Db, lastSeq: number, lastHash: string, problems: AuditProblem[]): void {
  const head = readAuditHead(db);
  if (!head) {
    problems.push({
      kind: 'head_mismatch',
      seq: null,
      message: 'The audit head record is missing.',
    });
    return;
  }
  if (head.seq > lastSeq) {
    problems.push(missing(lastSeq + 1, head.seq - lastSeq));
  } else if (head.seq < lastSeq) {
    problems.push({
      kind: 'head_mismatch',
      seq: head.seq + 1,
      message: `Entries after ${head.seq} were added outside the audit log's own writer.`,
    });
  } else if (head.hash !== lastHash) {
    problems.push({
      kind: 'head_mismatch',
      seq: lastSeq,
      message: `The newest entry (${lastSeq}) is not the one that was written.`,
    });
  }
}

function checkProtection(db: Db, problems: AuditProblem[]): void {
  const present = new Set(auditLogTriggers(db));
  const absent = PROTECTING_TRIGGERS.filter((name) => !present.has(name));
  if (absent.length > 0) {
    problems.push({
      kind: 'unprotected',
      seq: null,
      message: `The audit log's append-only protection was removed (${absent.join(', ')}).`,
    });
  }
}

function missing(firstSeq: number, count: number): AuditProblem {
  const range = count === 1 ? `${firstSeq}` : `${firstSeq}–${firstSeq + count - 1}`;
  return {
    kind: 'missing',
    seq: firstSeq,
    count,
    message: `Audit entries ${range} were deleted.`,
  };
}
