// Pausing and resuming a sync through the handler table, against the Kallglot fake with
// trickled downloads: a pause stops the transfers and keeps what arrived; a resume fetches only
// the rest (Range) and ends in a byte-exact archive.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { delay } from '../../support/async.ts';
import {
  archiveDir,
  expectArchivedRowsMatch,
  mediaFiles,
  partials,
  recordings,
} from '../../support/data-dir.ts';
import { newDataDir } from '../../support/engine.ts';
import {
  eventually,
  listedJob,
  openAppEngine,
  request,
  settledJob,
} from '../../support/handlers.ts';

let fake: FakeKallglot | null = null;
let engine: Engine | null = null;

afterEach(async () => {
  await engine?.close();
  await fake?.close();
  engine = fake = null;
});

/** Byte offsets of the storage requests that asked for the rest of a file. */
function resumedFrom(kallglot: FakeKallglot, since: number): number[] {
  return kallglot.storage.requests
    .slice(since)
    .map((r) => /^bytes=(\d+)-$/.exec(String(r.headers.range ?? ''))?.[1])
    .filter((start) => start !== undefined)
    .map(Number);
}

describe('pause and resume a sync', () => {
  it('a pause stops the transfers and keeps their bytes; a resume fetches only the rest', async () => {
    fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_pause')] });
    // ~2 s per wav file: the pause lands mid-body.
    fake.storage.faults.inject(
      { type: 'slow_body', chunkBytes: 2048, delayMs: 40 },
      { times: Number.POSITIVE_INFINITY },
    );
    const dataDir = newDataDir();
    engine = await openAppEngine({ K: fake.apiKey }, { dataDir });
    const account = engine.accounts.add(
      'kallglot',
      { name: 'Main', baseUrl: fake.baseUrl },
      { secretEnv: 'K' },
    );
    const job = await request(engine, 'syncStart', {
      accountId: account.id,
      sessions: [{ id: 'sess_pause' }],
    });

    // Wait until some bytes of an unfinished file are on disk.
    await eventually('a partial download on disk', () =>
      partials(dataDir).some((f) => fs.statSync(path.join(archiveDir(dataDir), f)).size > 0)
        ? true
        : undefined,
    );
    const paused = await request(engine, 'jobPause', { jobId: job.id });
    expect(paused.state).toBe('paused');
    expect((await listedJob(engine, job.id)).state).toBe('paused');

    // Nothing moves while paused: no request reaches storage, nothing is published.
    const requestsAtPause = fake.storage.requests.length;
    const filesAtPause = mediaFiles(dataDir);
    await delay(400);
    expect(fake.storage.requests.length).toBe(requestsAtPause);
    expect(mediaFiles(dataDir)).toEqual(filesAtPause);
    expect(filesAtPause.length).toBeLessThan(3);
    const kept = partials(dataDir).filter(
      (f) => !f.endsWith('.json') && fs.statSync(path.join(archiveDir(dataDir), f)).size > 0,
    );
    expect(kept.length).toBeGreaterThan(0);
    // No row is left "downloading" with no one downloading it.
    expect(recordings(dataDir).filter((r) => r.state === 'downloading')).toEqual([]);

    fake.storage.faults.clear();
    const resumed = await request(engine, 'jobResume', { jobId: job.id });
    expect(resumed.state).toBe('running');
    const done = await settledJob(engine, job.id);
    expect(done.state).toBe('done');
    expect(done.totals).toMatchObject({ discovered: 3, archived: 3, failed: 0, pending: 0 });

    const rows = recordings(dataDir);
    expect(rows).toHaveLength(3);
    expectArchivedRowsMatch(dataDir, rows, (r) => fake!.recordings.get(r.remote_id)?.sha256);
    expect(partials(dataDir)).toEqual([]);
    // Every file kept at the pause was continued from its bytes, not fetched again from 0.
    const offsets = resumedFrom(fake, requestsAtPause);
    expect(offsets).toHaveLength(kept.length);
    for (const offset of offsets) expect(offset).toBeGreaterThan(0);
  });

  it('resuming a finished job downloads nothing again', async () => {
    fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_idle')] });
    const dataDir = newDataDir();
    engine = await openAppEngine({ K: fake.apiKey }, { dataDir });
    const account = engine.accounts.add(
      'kallglot',
      { name: 'Main', baseUrl: fake.baseUrl },
      { secretEnv: 'K' },
    );
    const job = await request(engine, 'syncStart', {
      accountId: account.id,
      sessions: [{ id: 'sess_idle' }],
    });
    const done = await settledJob(engine, job.id);
    expect(done.state).toBe('done');
    const storageHits = fake.storage.requests.length;
    const again = await request(engine, 'jobResume', { jobId: job.id });
    expect(again.state).toBe('done');
    await delay(200);
    expect(fake.storage.requests.length).toBe(storageHits);
    expect(recordings(dataDir).map((r) => r.state)).toEqual(['archived', 'archived', 'archived']);
  });
});
