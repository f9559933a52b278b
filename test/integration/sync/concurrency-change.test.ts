// Changing "downloads at once" in the settings through the handler table, against the Kallglot
// fake with trickled bodies: the limit holds for the next sync and for the one running now.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { delay } from '../../support/async.ts';
import { newDataDir } from '../../support/engine.ts';
import { eventually, listedJob, openAppEngine, request } from '../../support/handlers.ts';

let fake: FakeKallglot | null = null;
let engine: Engine | null = null;

afterEach(async () => {
  await engine?.close();
  await fake?.close();
  engine = fake = null;
});

const RECORDINGS = 6;

/** Recordings the queue shows downloading right now. */
async function downloading(e: Engine, jobId: number): Promise<number> {
  const items = await request(e, 'jobItems', { jobId, limit: 100 });
  return items.filter((item) => item.state === 'downloading').length;
}

async function setUp(): Promise<{ engine: Engine; accountId: number; dataDir: string }> {
  fake = await startFakeKallglot({
    sessions: ['sess_c1', 'sess_c2'].map((id) => ({
      id,
      recordings: Array.from({ length: RECORDINGS / 2 }, () => ({ channel: 'agent' as const })),
    })),
  });
  // ~0.5 s per file, so several overlap whenever the limit lets them.
  fake.storage.faults.inject(
    { type: 'slow_body', chunkBytes: 8192, delayMs: 40 },
    { times: Number.POSITIVE_INFINITY },
  );
  const dataDir = newDataDir();
  engine = await openAppEngine({ K: fake.apiKey }, { dataDir });
  const account = engine.accounts.add(
    'kallglot',
    { name: 'Main', baseUrl: fake.baseUrl },
    { secretEnv: 'K' },
  );
  return { engine, accountId: account.id, dataDir };
}

/** Samples the downloads at once every 10 ms until the job leaves the queue. */
async function sampleUntilDone(
  e: Engine,
  jobId: number,
  onSample: (n: number) => void,
): Promise<void> {
  for (;;) {
    onSample(await downloading(e, jobId));
    const job = await listedJob(e, jobId);
    if (job.state !== 'running' && job.state !== 'queued') {
      expect(job.totals).toMatchObject({ archived: RECORDINGS, failed: 0 });
      return;
    }
    await delay(10);
  }
}

describe('downloads at once', () => {
  it('a lower limit holds for the next sync and is kept in settings.json', async () => {
    const { engine: e, accountId, dataDir } = await setUp();
    const before = await request(e, 'settingsGet', {});
    expect(before.concurrency).toBeGreaterThan(1);
    expect((await request(e, 'settingsUpdate', { concurrency: 1 })).concurrency).toBe(1);
    const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8'));
    expect(saved.concurrency).toBe(1);

    const job = await request(e, 'syncStart', {
      accountId,
      sessions: [{ id: 'sess_c1' }, { id: 'sess_c2' }],
    });
    let most = 0;
    await sampleUntilDone(e, job.id, (n) => (most = Math.max(most, n)));
    expect(most).toBe(1);
  });

  it('lowering the limit mid-sync holds once the running transfers end', async () => {
    const { engine: e, accountId } = await setUp();
    await request(e, 'settingsUpdate', { concurrency: 3 });
    const job = await request(e, 'syncStart', {
      accountId,
      sessions: [{ id: 'sess_c1' }, { id: 'sess_c2' }],
    });
    await eventually('three downloads at once', async () =>
      (await downloading(e, job.id)) === 3 ? true : undefined,
    );
    await request(e, 'settingsUpdate', { concurrency: 1 });
    let drained = false;
    const afterDrain: number[] = [];
    await sampleUntilDone(e, job.id, (n) => {
      if (n <= 1) drained = true;
      if (drained) afterDrain.push(n);
    });
    expect(afterDrain.length).toBeGreaterThan(0);
    expect(Math.max(...afterDrain)).toBe(1);
  });

  it('raising the limit mid-sync (1 → 3) starts more downloads at once', async () => {
    const { engine: e, accountId } = await setUp();
    await request(e, 'settingsUpdate', { concurrency: 1 });
    const job = await request(e, 'syncStart', {
      accountId,
      sessions: [{ id: 'sess_c1' }, { id: 'sess_c2' }],
    });
    await eventually('one download running', async () =>
      (await downloading(e, job.id)) === 1 ? true : undefined,
    );
    await request(e, 'settingsUpdate', { concurrency: 3 });
    let most = 0;
    await sampleUntilDone(e, job.id, (n) => (most = Math.max(most, n)));
    expect(most).toBe(3);
  });
});
