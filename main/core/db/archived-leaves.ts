import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';

/**
 * The archived recordings a checkpoint's Merkle tree has as leaves, with their ids, in the tree's
 * order (db/checkpoints.ts archivedDigestsInIdOrder gives the digests alone): an export package
 * needs each exported recording's position to prove it is in the tree.
 */
export function archivedLeavesInIdOrder(db: Db): { id: number; sha256: string }[] {
  return cachedStatement(
    db,
    `SELECT id, sha256 FROM recordings WHERE state = 'archived' AND sha256 IS NOT NULL ORDER BY id`,
  ).all() as { id: number; sha256: string }[];
}
