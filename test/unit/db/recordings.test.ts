import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IndexInputError } from '../../../main/core/db/errors.ts';
import { addJobItems, createJob, updateJobItem } from '../../../main/core/db/jobs.ts';
import {
  findByRemote,
  getRecording,
  markArchived,
  markDownloading,
  markFailed,
  markGone,
  markPending,
  nextToDownload,
  resetInterruptedDownloads,
  retryNow,
  setNotes,
  setSkipped,
  setTags,
  upsertDiscovered,
} from '../../../main/core/db/recordings.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';
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
let account: number;
beforeEach(() => {
  ({ db, cleanup } = tempIndex());
  account = kallglotAccount(db);
});
afterEach(() => cleanup());

const T0 = new Date('2024-03-05T00:00:00Z');
const T1 = new Date('2024-03-06T00:00:00Z');

describe('upsertDiscovered', () => {
  it('inserts a new recording with normalised timestamps', () => {
    const { recording, inserted } = upsertDiscovered(db, account, kallglotRecording(), T0);
    expect(inserted).toBe(true);
    expect(recording).toMatchObject({
      accountId: account,
      remoteId: 'rec_abc123',
      state: 'discovered',
      remoteStatus: 'ready',
      recordedAt: '2024-03-01T10:00:00.000Z',
      expiresAt: '2024-03-31T10:00:00.000Z',
      discoveredAt: T0.toISOString(),
      attempts: 0,
      notes: '',
      tags: [],
    });
    expect(findByRemote(db, account, 'rec_abc123')?.id).toBe(recording.id);
  });

  it('refreshes metadata without clobbering archive state, checksum, notes or tags', () => {
    const { recording } = upsertDiscovered(db, account, kallglotRecording(), T0);
    markDownloading(db, recording.id, T0);
    markArchived(db, recording.id, {
      localPath: 'kallglot/1/2024/03/01/rec_abc123.mp3',
      localSize: 1_000_000,
      sha256: SHA,
      archivedAt: T0,
    });
    setNotes(db, recording.id, 'escalated complaint');
    setTags(db, recording.id, ['legal-hold']);

    const again = upsertDiscovered(
      db,
      account,
      kallglotRecording({
        status: 'gone',
        providerStatus: 'deleted',
        size: null, // a list endpoint that omits the size
        expiresAt: '2024-04-30T10:00:00Z',
        raw: { extra: true },
      }),
      T1,
    );
    expect(again.inserted).toBe(false);
    expect(again.recording).toMatchObject({
      id: recording.id,
      state: 'archived',
      remoteStatus: 'gone',
      providerStatus: 'deleted',
      localPath: 'kallglot/1/2024/03/01/rec_abc123.mp3',
      sha256: SHA,
      notes: 'escalated complaint',
      tags: ['legal-hold'],
      size: 1_000_000,
      expiresAt: '2024-04-30T10:00:00.000Z',
      raw: { id: 'rec_abc123', object: 'recording', extra: true },
      discoveredAt: T0.toISOString(),
      updatedAt: T1.toISOString(),
      attempts: 1,
    });
  });

  it('maps provider status to state for rows not yet archived', () => {
    const gone = upsertDiscovered(
      db,
      account,
      kallglotRecording({ remoteId: 'r1', status: 'gone' }),
    );
    expect(gone.recording.state).toBe('gone');
    const failed = upsertDiscovered(
      db,
      account,
      kallglotRecording({ remoteId: 'r2', status: 'failed' }),
    );
    expect(failed.recording.state).toBe('failed');
    // The provider has it after all: back in the queue.
    expect(
      upsertDiscovered(db, account, kallglotRecording({ remoteId: 'r2' })).recording.state,
    ).toBe('discovered');
    const { recording } = upsertDiscovered(db, account, kallglotRecording({ remoteId: 'r3' }));
    markPending(db, recording.id, 'rate limited', T1);
    expect(
      upsertDiscovered(db, account, kallglotRecording({ remoteId: 'r3' })).recording.state,
    ).toBe('pending');
  });

  it('makes a waiting recording due now when it is asked for again', () => {
    const { recording } = upsertDiscovered(db, account, kallglotRecording({ remoteId: 'w1' }));
    markPending(db, recording.id, 'still processing', new Date(T1.getTime() + 3_600_000), T1);
    expect(nextToDownload(db, { accountId: account }, 10, T1)).toEqual([]);
    const due = retryNow(db, recording.id, T1);
    expect(due.state).toBe('pending');
    expect(due.lastError).toBe('still processing');
    expect(nextToDownload(db, { accountId: account }, 10, T1).map((r) => r.id)).toEqual([
      recording.id,
    ]);
    const archivedLater = retryNow(db, markFailed(db, recording.id, 'x', T1).id, T1);
    expect(archivedLater.state).toBe('failed');
  });

  it('merges phone numbers and refuses a recording of another provider', () => {
    const envoy = envoyAccount(db);
    upsertDiscovered(db, envoy, envoyRecording());
    const merged = upsertDiscovered(db, envoy, envoyRecording({ phoneNumbers: ['+15550000000'] }));
    expect(merged.recording.phoneNumbers).toEqual([
      '+15551234567',
      '+442071838750',
      '+15550000000',
    ]);
    expect(() => upsertDiscovered(db, account, envoyRecording())).toThrow(IndexInputError);
  });
});

describe('state changes', () => {
  it('walks discovered → downloading → pending → downloading → archived', () => {
    const { recording } = upsertDiscovered(db, account, kallglotRecording());
    expect(markDownloading(db, recording.id, T0)).toMatchObject({
      state: 'downloading',
      attempts: 1,
    });
    expect(markPending(db, recording.id, 'HTTP 503', T1)).toMatchObject({
      state: 'pending',
      lastError: 'HTTP 503',
      nextAttemptAt: T1.toISOString(),
    });
    markDownloading(db, recording.id);
    const archived = markArchived(db, recording.id, {
      localPath: 'a/b.mp3',
      localSize: 10,
      sha256: SHA,
      archivedAt: '2024-03-06T00:00:00Z',
    });
    expect(archived).toMatchObject({
      state: 'archived',
      attempts: 2,
      lastError: null,
      nextAttemptAt: null,
      archivedAt: '2024-03-06T00:00:00.000Z',
    });
  });

  it('refuses archive paths that escape the archive root and bad checksums', () => {
    const { recording } = upsertDiscovered(db, account, kallglotRecording());
    for (const localPath of ['/etc/passwd', '../x.mp3', 'a/../../x', 'a\\b.mp3', 'C:/x', '']) {
      expect(() =>
        markArchived(db, recording.id, { localPath, localSize: 1, sha256: SHA, archivedAt: T0 }),
      ).toThrow(IndexInputError);
    }
    expect(() =>
      markArchived(db, recording.id, {
        localPath: 'a.mp3',
        localSize: 1,
        sha256: 'XYZ',
        archivedAt: T0,
      }),
    ).toThrow(/sha256/);
  });

  it('markGone keeps an archived recording archived, marks a missed one gone', () => {
    const a = upsertDiscovered(db, account, kallglotRecording({ remoteId: 'a' })).recording;
    const b = upsertDiscovered(db, account, kallglotRecording({ remoteId: 'b' })).recording;
    markArchived(db, a.id, { localPath: 'a.mp3', localSize: 1, sha256: SHA, archivedAt: T0 });
    expect(markGone(db, a.id, 'HTTP 410')).toMatchObject({
      state: 'archived',
      remoteStatus: 'gone',
    });
    expect(markGone(db, b.id, 'HTTP 410')).toMatchObject({
      state: 'gone',
      remoteStatus: 'gone',
      lastError: 'HTTP 410',
    });
    expect(markFailed(db, b.id, 'provider failed')).toMatchObject({ state: 'failed' });
  });

  it('skips and un-skips, normalises tags, and resets interrupted downloads', () => {
    const { recording } = upsertDiscovered(db, account, kallglotRecording());
    expect(setSkipped(db, recording.id, true).state).toBe('skipped');
    expect(setSkipped(db, recording.id, false).state).toBe('discovered');
    expect(setTags(db, recording.id, [' VIP ', 'vip', '', 'legal hold']).tags).toEqual([
      'VIP',
      'legal hold',
    ]);
    markDownloading(db, recording.id);
    expect(resetInterruptedDownloads(db)).toBe(1);
    expect(getRecording(db, recording.id)?.state).toBe('discovered');
  });

  it('throws for an unknown id', () => {
    expect(() => markFailed(db, 999, 'x')).toThrow(/No recordings row with id 999/);
    expect(getRecording(db, 999)).toBeNull();
  });
});

describe('nextToDownload', () => {
  it('serves the soonest deadline first, unknown deadlines last, due retries only', () => {
    const add = (remoteId: string, expiresAt: string | null) =>
      upsertDiscovered(db, account, kallglotRecording({ remoteId, expiresAt })).recording.id;
    const noDeadline = add('none', null);
    const late = add('late', '2024-05-01T00:00:00Z');
    const soon = add('soon', '2024-03-10T00:00:00Z');
    const soonest = add('soonest', '2024-03-07T00:00:00Z');
    const waiting = add('waiting', '2024-03-06T00:00:00Z');
    const due = add('due', '2024-03-08T00:00:00Z');
    const done = add('done', '2024-03-01T00:00:00Z');
    markPending(db, waiting, 'not ready', new Date('2024-03-05T12:00:00Z'));
    markPending(db, due, 'not ready', new Date('2024-03-04T12:00:00Z'));
    markArchived(db, done, { localPath: 'd.mp3', localSize: 1, sha256: SHA, archivedAt: T0 });

    const ids = (limit: number) =>
      nextToDownload(db, { accountId: account }, limit, T0).map((r) => r.id);
    expect(ids(10)).toEqual([soonest, due, soon, late, noDeadline]);
    expect(ids(2)).toEqual([soonest, due]);
    // Later, the waiting one is due too, and comes first.
    expect(nextToDownload(db, { accountId: account }, 1, T1).map((r) => r.id)).toEqual([waiting]);
  });

  it('can be scoped to one job', () => {
    const a = upsertDiscovered(db, account, kallglotRecording({ remoteId: 'a' })).recording.id;
    const b = upsertDiscovered(db, account, kallglotRecording({ remoteId: 'b' })).recording.id;
    const c = upsertDiscovered(db, account, kallglotRecording({ remoteId: 'c' })).recording.id;
    const job = createJob(db, { accountId: account, kind: 'sync', spec: {} });
    addJobItems(db, job.id, [a, b]);
    updateJobItem(db, job.id, b, { state: 'skipped' });
    expect(nextToDownload(db, { jobId: job.id }, 10).map((r) => r.id)).toEqual([a]);
    expect(nextToDownload(db, { accountId: account }, 10).map((r) => r.id)).toEqual([a, b, c]);
  });
});
