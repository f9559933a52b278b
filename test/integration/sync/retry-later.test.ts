import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { openTestEngine } from '../../support/engine.ts';

let fake: FakeKallglot | null = null;
let engine: Engine | null = null;

afterEach(async () => {
  await engine?.close();
  await fake?.close();
  engine = null;
  fake = null;
});

describe('recordings not ready yet', () => {
  it('the app runs the job again when they come due, and archives them', async () => {
    fake = await startFakeKallglot({
      sessions: [{ id: 'sess_P1', recordings: [{ channel: 'agent', status: 'processing' }] }],
    });
    engine = await openTestEngine(
      { K: fake.apiKey },
      { retryPendingLater: true, retryLaterMaxMs: 100 },
    );
    const account = engine.accounts.add(
      'kallglot',
      { name: 'P', baseUrl: fake.baseUrl },
      { secretEnv: 'K' },
    );
    const job = engine.jobs.start(account.id, {
      sessions: [{ id: 'sess_P1' }],
      recordingIds: [],
      callIds: [],
    });
    const first = await engine.jobs.wait(job.id);
    expect(first.state).toBe('done');
    expect(first.totals).toMatchObject({ pending: 1, archived: 0 });
    const [item] = engine.jobs.items(job.id, 10);
    expect(item!.error).toMatch(/processing/);

    // The provider finishes; the app runs the job again by itself.
    fake.update([...fake.recordings.keys()][0]!, { status: 'ready' });
    const archived = new Promise<void>((resolve) => {
      const off = engine!.events.subscribe((channel, payload) => {
        if (
          channel === 'jobProgress' &&
          (payload as { job: { totals: { archived: number } } }).job.totals.archived === 1
        ) {
          off();
          resolve();
        }
      });
    });
    await archived;
    const after = await engine.jobs.wait(job.id);
    expect(after.totals).toMatchObject({ archived: 1, pending: 0 });
  });

  it('a new sync tries a waiting recording at once instead of after its backoff', async () => {
    fake = await startFakeKallglot({
      sessions: [{ id: 'sess_P2', recordings: [{ channel: 'agent', status: 'processing' }] }],
    });
    engine = await openTestEngine({ K: fake.apiKey });
    const account = engine.accounts.add(
      'kallglot',
      { name: 'P', baseUrl: fake.baseUrl },
      { secretEnv: 'K' },
    );
    const request = { sessions: [{ id: 'sess_P2' }], recordingIds: [], callIds: [] };
    const first = await engine.jobs.wait(engine.jobs.start(account.id, request).id);
    expect(first.totals.pending).toBe(1);
    fake.update([...fake.recordings.keys()][0]!, { status: 'ready' });
    const second = await engine.jobs.wait(engine.jobs.start(account.id, request).id);
    expect(second.totals).toMatchObject({ archived: 1, pending: 0 });
  });
});
