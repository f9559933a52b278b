import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExport, finishExport, listExports } from '../../../main/core/db/exports.ts';
import {
  addJobItems,
  createJob,
  getJob,
  listJobs,
  pauseInterruptedJobs,
  setJobState,
  setJobTotals,
  updateJobItem,
} from '../../../main/core/db/jobs.ts';
import { upsertDiscovered } from '../../../main/core/db/recordings.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';
import { kallglotAccount, kallglotRecording, tempIndex } from '../../support/index-fixtures.ts';

let db: Db;
let cleanup: () => void;
beforeEach(() => ({ db, cleanup } = tempIndex()));
afterEach(() => cleanup());

describe('jobs repository', () => {
  it('tracks a job and derives its item counts from job_items', () => {
    const account = kallglotAccount(db);
    const a = upsertDiscovered(db, account, kallglotRecording({ remoteId: 'a' })).recording.id;
    const b = upsertDiscovered(db, account, kallglotRecording({ remoteId: 'b' })).recording.id;
    const job = createJob(db, { accountId: account, kind: 'sync', spec: { sessionId: 'sess_1' } });
    expect(job).toMatchObject({ state: 'queued', spec: { sessionId: 'sess_1' }, startedAt: null });
    addJobItems(db, job.id, [a, b, a]);
    updateJobItem(db, job.id, a, { state: 'done', bytesDone: 100, bytesTotal: 100 });
    updateJobItem(db, job.id, b, { state: 'running', bytesDone: 10, bytesTotal: 50 });
    setJobTotals(db, job.id, { discovered: 2 });
    const running = setJobState(db, job.id, 'running', { now: new Date('2024-01-01T00:00:00Z') });
    expect(running).toMatchObject({
      state: 'running',
      startedAt: '2024-01-01T00:00:00.000Z',
      totals: { discovered: 2 },
      items: { total: 2, bytesDone: 110, bytesTotal: 150 },
    });
    expect(running.items.byState).toMatchObject({ done: 1, running: 1, queued: 0 });
  });

  it('pauses what a crash left running, so it can be resumed', () => {
    const account = kallglotAccount(db);
    const a = upsertDiscovered(db, account, kallglotRecording()).recording.id;
    const job = createJob(db, { accountId: account, kind: 'sync', spec: {} });
    addJobItems(db, job.id, [a]);
    updateJobItem(db, job.id, a, { state: 'running' });
    setJobState(db, job.id, 'running');
    expect(pauseInterruptedJobs(db)).toEqual([job.id]);
    expect(getJob(db, job.id)?.items.byState.queued).toBe(1);
    expect(listJobs(db, ['paused']).map((j) => j.id)).toEqual([job.id]);
    expect(setJobState(db, job.id, 'done').finishedAt).not.toBeNull();
  });
});

describe('exports repository', () => {
  it('records an export from start to finish', () => {
    const started = createExport(db, {
      destination: '/media/usb/case-17',
      options: { format: 'wav' },
    });
    expect(started).toMatchObject({ state: 'running', options: { format: 'wav' } });
    const done = finishExport(db, started.id, { state: 'done', summary: { files: 3 } });
    expect(done).toMatchObject({ state: 'done', summary: { files: 3 } });
    expect(listExports(db)).toEqual([done]);
  });
});
