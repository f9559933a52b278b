import { describe, expect, it } from 'vitest';
import type { JobItemView } from '../../../main/core/contract/types.ts';
import { createFakeApi } from '../test-support/fake-api.ts';
import { jobView } from '../test-support/views.ts';
import { JobsState, jobFraction } from './jobs.svelte.ts';
import { fail } from '../../../main/core/contract/result.ts';

const job = jobView;
const item = (recordingId: number, overrides: Partial<JobItemView> = {}): JobItemView => ({
  recordingId,
  remoteId: `rec_${recordingId}`,
  channel: 'mixed',
  state: 'downloading',
  bytesDone: 0,
  bytesTotal: 100,
  expiresAt: null,
  error: null,
  ...overrides,
});

describe('JobsState', () => {
  it('follows progress events: the job, and the changed items merged into the known ones', async () => {
    const api = createFakeApi();
    api.jobsList.mockResolvedValue({ ok: true, value: [job(1)] });
    api.jobItems.mockResolvedValue({ ok: true, value: [item(1), item(2)] });
    const jobs = new JobsState(api);
    jobs.connect();
    await jobs.load();
    await jobs.loadItems(1);
    api.emit('jobProgress', {
      job: job(1, { state: 'done' }),
      items: [item(2, { state: 'failed', error: 'The provider deleted it (410).' }), item(3)],
    });
    expect(jobs.jobs[0]!.state).toBe('done');
    expect(jobs.items[1]!.map((i) => [i.recordingId, i.state])).toEqual([
      [1, 'downloading'],
      [2, 'failed'],
      [3, 'downloading'],
    ]);
    expect(jobs.active).toHaveLength(0);
  });

  it('adds a job it did not know, newest first, and sums the running ones', () => {
    const api = createFakeApi();
    const jobs = new JobsState(api);
    jobs.connect();
    api.emit('jobProgress', { job: job(1), items: [] });
    api.emit('jobProgress', { job: job(2), items: [] });
    expect(jobs.jobs.map((j) => j.id)).toEqual([2, 1]);
    expect(jobs.overall.fraction).toBeCloseTo(0.25);
    expect(jobs.overall.bytesPerSecond).toBe(100);
  });

  it('keeps the reason a pause or retry was refused', async () => {
    const api = createFakeApi();
    api.jobRetryFailed.mockResolvedValue(fail('conflict', 'The job is still running.'));
    const jobs = new JobsState(api);
    await jobs.act(3, 'retry');
    expect(jobs.actionErrors[3]).toBe('The job is still running.');
  });

  it('measures a job by recordings archived over found, never by bytes or by its end', () => {
    expect(jobFraction(job(1))).toBe(0.25);
    const withFailure = job(1);
    withFailure.totals = { ...withFailure.totals, bytesTotal: 0, archived: 2, failed: 1 };
    expect(jobFraction(withFailure)).toBe(0.5);
    // The run ended with nothing archived: 0 of 6 is 0%, not a full bar.
    const nothing = job(1, { state: 'done' });
    nothing.totals = { ...nothing.totals, discovered: 6, archived: 0, pending: 6, bytesDone: 0 };
    expect(jobFraction(nothing)).toBe(0);
    // Calls with no recording (issue 14) are settled: a job of 3 archived and 1 such is complete.
    const noRecording = job(1, { state: 'done' });
    noRecording.totals = { ...noRecording.totals, archived: 3, pending: 0, noRecording: 1 };
    expect(jobFraction(noRecording)).toBe(1);
  });
});
