import { afterEach, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../main/core/contract/types.ts';
import type { Engine } from '../../../main/core/engine.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { openTestEngine } from '../../support/engine.ts';

let fake: FakeKallglot | null = null;
let engine: Engine | null = null;

afterEach(async () => {
  await engine?.close();
  await fake?.close();
  engine = null;
  fake = null;
});

describe('sync progress events', () => {
  it('report per-item bytes, totals, throughput and ETA at most ~10 times a second', async () => {
    fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_PR')] });
    // Trickling bodies: many small writes, each of which would be an event if not throttled.
    fake.storage.faults.inject({ type: 'slow_body', chunkBytes: 2048, delayMs: 25 }, { times: 3 });
    engine = await openTestEngine({ K: fake.apiKey });
    const account = engine.accounts.add(
      'kallglot',
      { name: 'R', baseUrl: fake.baseUrl },
      { secretEnv: 'K' },
    );
    const events: { at: number; progress: JobProgress }[] = [];
    engine.events.subscribe((channel, payload) => {
      if (channel === 'jobProgress')
        events.push({ at: Date.now(), progress: payload as JobProgress });
    });
    const started = Date.now();
    const job = engine.jobs.start(account.id, {
      sessions: [{ id: 'sess_PR' }],
      recordingIds: [],
      callIds: [],
    });
    const done = await engine.jobs.wait(job.id);
    const seconds = (Date.now() - started) / 1000;
    expect(done.totals.archived).toBe(3);
    expect(seconds).toBeGreaterThan(0.5);
    // At most one throttled event per 100 ms, plus the state changes (start, end).
    expect(events.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 3);
    const moving = events.filter((e) =>
      e.progress.items.some((i) => i.bytesDone > 0 && i.state === 'downloading'),
    );
    expect(moving.length).toBeGreaterThan(2);
    expect(events.some((e) => e.progress.job.totals.throughput > 0)).toBe(true);
    expect(events.some((e) => e.progress.job.totals.etaSeconds !== null)).toBe(true);
    const last = events.at(-1)!.progress.job;
    expect(last.totals.bytesDone).toBe(last.totals.bytesTotal);
  });
});
