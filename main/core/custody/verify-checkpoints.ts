import fs from 'node:fs';
import path from 'node:path';
import {
  auditSeqHashesBetween,
  checkpointRowsInOrder,
  type CheckpointRow,
} from '../db/checkpoints.ts';
import type { Db } from '../db/sqlite.ts';
import {
  checkpointsDir,
  entryHashesDigest,
  listCheckpointFiles,
  verifyCheckpointSignature,
  type Checkpoint,
} from './checkpoint.ts';

/** A checkpoint finding; `seq` is the first audit entry affected (null: the checkpoint as a whole). */
export interface CheckpointProblem {
  kind:
    | 'checkpoint_signature'
    | 'checkpoint_file'
    | 'checkpoint_mismatch'
    | 'checkpoint_missing'
    | 'checkpoint_timestamp';
  seq: number | null;
  message: string;
}

export interface CheckpointVerification {
  checked: number;
  problems: CheckpointProblem[];
}

/**
 * Checks every checkpoint against the audit log as it now stands: its signature (with the
 * installation's public key when it is known, so a checkpoint re-signed with another key is
 * refused), that its file in checkpoints/ is the same bytes, and that every audit entry it
 * covers still has the hash it signed. A rewrite of the log (triggers dropped, an entry edited,
 * every later hash and the head recomputed) keeps the chain self-consistent, but not the hashes
 * a checkpoint signed: the first entry that differs is named.
 */
export function verifyCheckpoints(
  db: Db,
  dataDir: string,
  trustedPublicKeyPem: string | null,
): CheckpointVerification {
  const problems: CheckpointProblem[] = [];
  const rows = checkpointRowsInOrder(db);
  let expectedSeq = 1;
  for (const row of rows) {
    if (row.seq !== expectedSeq) {
      problems.push({
        kind: 'checkpoint_missing',
        seq: null,
        message: `Checkpoints ${expectedSeq}–${row.seq - 1} were removed from the index.`,
      });
    }
    expectedSeq = row.seq + 1;
    const checkpoint = checkSigned(row, trustedPublicKeyPem, problems);
    checkFile(row, dataDir, problems);
    if (checkpoint) checkCoveredEntries(db, row, checkpoint, dataDir, problems);
  }
  // Rows deleted from the index (all of them, even) still have their files.
  const indexed = new Set(rows.map((row) => row.file_name));
  for (const name of listCheckpointFiles(dataDir)) {
    if (!indexed.has(name)) {
      problems.push({
        kind: 'checkpoint_missing',
        seq: null,
        message: `Checkpoint file ${name} has no checkpoint in the index: it was removed from it.`,
      });
    }
  }
  return { checked: rows.length, problems };
}

function checkSigned(
  row: CheckpointRow,
  trustedPublicKeyPem: string | null,
  problems: CheckpointProblem[],
): Checkpoint | null {
  const result = verifyCheckpointSignature(
    row.body,
    row.signature,
    trustedPublicKeyPem ?? row.public_key_pem,
  );
  if (result.ok) return result.checkpoint;
  problems.push({
    kind: 'checkpoint_signature',
    seq: null,
    message: `Checkpoint ${row.seq} (${row.created_at}): ${result.problem}`,
  });
  return null;
}

function checkFile(row: CheckpointRow, dataDir: string, problems: CheckpointProblem[]): void {
  const file = path.join(checkpointsDir(dataDir), row.file_name);
  const read = (name: string): Buffer | null => {
    try {
      return fs.readFileSync(name);
    } catch {
      return null;
    }
  };
  const body = read(file);
  const signature = read(`${file}.sig`);
  if (!body || !signature) {
    problems.push({
      kind: 'checkpoint_file',
      seq: null,
      message: `Checkpoint ${row.seq}'s file ${file} (or its .sig) is missing.`,
    });
  } else if (!body.equals(row.body) || !signature.equals(row.signature)) {
    problems.push({
      kind: 'checkpoint_file',
      seq: null,
      message: `Checkpoint ${row.seq}'s file ${file} differs from the checkpoint in the index.`,
    });
  }
}

/** The hashes the checkpoint signed for its range: the index's copy, else the .audit file's. */
function signedEntryHashes(
  row: CheckpointRow,
  checkpoint: Checkpoint,
  dataDir: string,
): string[] | null {
  const wanted = checkpoint.audit.range.entryHashesSha256;
  const fromIndex = row.entry_hashes === '' ? [] : row.entry_hashes.split('\n');
  if (entryHashesDigest(fromIndex) === wanted) return fromIndex;
  try {
    const text = fs.readFileSync(
      path.join(checkpointsDir(dataDir), `${row.file_name}.audit`),
      'utf8',
    );
    const fromFile = text.split('\n').filter((line) => line !== '');
    if (entryHashesDigest(fromFile) === wanted) return fromFile;
  } catch {
    // Neither copy: reported below.
  }
  return null;
}

function checkCoveredEntries(
  db: Db,
  row: CheckpointRow,
  checkpoint: Checkpoint,
  dataDir: string,
  problems: CheckpointProblem[],
): void {
  const { range, headSeq, headHash } = checkpoint.audit;
  const signed = signedEntryHashes(row, checkpoint, dataDir);
  const current = auditSeqHashesBetween(db, range.fromSeq, range.toSeq);
  if (signed === null) {
    problems.push({
      kind: 'checkpoint_file',
      seq: null,
      message: `Checkpoint ${row.seq}'s list of entry hashes is missing or altered.`,
    });
  } else {
    const bySeq = new Map(current.map((entry) => [entry.seq, entry.hash]));
    for (let i = 0; i < signed.length; i += 1) {
      const seq = range.fromSeq + i;
      const now = bySeq.get(seq);
      if (now !== signed[i]) {
        problems.push({
          kind: 'checkpoint_mismatch',
          seq,
          message:
            now === undefined
              ? `Entry ${seq}, signed by checkpoint ${row.seq} (${row.created_at}), is gone.`
              : `Entry ${seq} is not the entry checkpoint ${row.seq} signed (${row.created_at}): ` +
                'the audit log was rewritten from there.',
        });
        return;
      }
    }
  }
  // The head itself (also for a checkpoint that covered no new entry).
  if (headSeq > 0) {
    const [head] = auditSeqHashesBetween(db, headSeq, headSeq);
    if (head?.hash !== headHash) {
      problems.push({
        kind: 'checkpoint_mismatch',
        seq: headSeq,
        message: `The audit log no longer reaches checkpoint ${row.seq}'s head (entry ${headSeq}) with the hash it signed.`,
      });
    }
  }
}
