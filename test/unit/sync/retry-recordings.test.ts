// The library's "Retry" on a selection: the rows not archived are asked for again by the ids
// their provider finds them by, one sync per account; archived rows are counted, not re-fetched.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobView } from '../../../main/core/contract/types.ts';
import { addAccount } from '../../../main/core/db/accounts.ts';
import { markArchived, markFailed, upsertDiscovered } from '../../../main/core/db/recordings.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';
import { retryRecordings } from '../../../main/core/sync/retry-recordings.ts';
import type { SyncRequest } from '../../../main/core/sync/job-spec.ts';
import {
  envoyAccount,
  envoyRecording,
  kallglotAccount,
  kallglotRecording,
  SHA,
  tempIndex,
} from '../../support/index-fixtures.ts';

let db: Db;
let cleanup: () => void;
beforeEach(() => ({ db, cleanup } = tempIndex()));
afterEach(() => cleanup());

function setup() {
  const kallglot = kallglotAccount(db);
  const envoy = envoyAccount(db);
  const koreai = addAccount(db, {
    name: 'Bot',
    provider: 'koreai',
    settings: { host: 'https://platform.kore.ai', botId: 'st-1', clientId: 'cs-1' },
  }).id;
  const add = (account: number, recording: Parameters<typeof upsertDiscovered>[2]) =>
    upsertDiscovered(db, account, recording).recording.id;
  const failed = add(kallglot, kallglotRecording({ remoteId: 'rec_failed' }));
  markFailed(db, failed, 'HTTP 500');
  const archived = add(kallglot, kallglotRecording({ remoteId: 'rec_done' }));
  markArchived(db, archived, {
    localPath: 'a/b.mp3',
    localSize: 1,
    sha256: SHA,
    archivedAt: new Date(),
  });
  const call = add(envoy, envoyRecording({ remoteId: 'call_9', callId: 'call_9' }));
  const bot = add(
    koreai,
    kallglotRecording({
      provider: 'koreai',
      remoteId: 'kr_1',
      sessionId: 'ks_1',
      userId: 'u-7',
    }),
  );
  return { kallglot, envoy, koreai, failed, archived, call, bot };
}

describe('retryRecordings', () => {
  it('starts one sync per account with the ids each provider finds recordings by', () => {
    const s = setup();
    const start = vi.fn(
      (accountId: number, _request: SyncRequest) => ({ id: accountId }) as unknown as JobView,
    );
    const result = retryRecordings({ db, start }, [s.failed, s.archived, s.call, s.bot]);
    expect(result).toMatchObject({ queued: 3, alreadyArchived: 1 });
    expect(result.jobs).toHaveLength(3);
    const requests = new Map(start.mock.calls.map(([account, request]) => [account, request]));
    expect(requests.get(s.kallglot)).toMatchObject({ recordingIds: ['rec_failed'] });
    expect(requests.get(s.envoy)).toMatchObject({ callIds: ['call_9'] });
    expect(requests.get(s.koreai)).toMatchObject({ sessions: [{ id: 'ks_1', userId: 'u-7' }] });
  });

  it('refuses, in words, a selection with nothing to retry, and starts nothing', () => {
    const s = setup();
    const start = vi.fn();
    expect(() => retryRecordings({ db, start }, [s.archived])).toThrow(
      'Nothing to retry: the recordings selected are archived already.',
    );
    expect(() => retryRecordings({ db, start }, [s.failed, 99_999])).toThrow(
      'No recording with id 99999.',
    );
    expect(start).not.toHaveBeenCalled();
  });
});
