import { listAccounts } from '../db/accounts.ts';
import { findByRemote } from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';

/**
 * Index ids of the recordings a provider's id names, across every account (removed ones too):
 * one id normally, several when two accounts hold a recording of the same remote id.
 */
export function recordingIdsByRemoteId(db: Db, remoteId: string): number[] {
  return listAccounts(db, { includeRemoved: true })
    .map((account) => findByRemote(db, account.id, remoteId)?.id)
    .filter((id): id is number => id !== undefined);
}
