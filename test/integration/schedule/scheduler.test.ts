import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inProcessApi, type InProcessApi } from '../../../main/core/api/in-process-client.ts';
import type { ScheduleView } from '../../../main/core/contract/compliance.ts';
import type { Engine } from '../../../main/core/engine.ts';
import { nextDailyAfter } from '../../../main/core/schedule/next-run.ts';
import { startFakeEnvoy, type FakeEnvoy } from '../../fakes/envoy.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { createFakeStorage, type FakeStorage } from '../../fakes/storage.ts';
import { delay } from '../../support/async.ts';
import { openTestEngine } from '../../support/engine.ts';
import { tempDir } from '../../support/tmp.ts';
import { FakeClock } from './fake-clock.ts';

// Unattended schedules in an open app: a fake clock drives the scheduler; the syncs are real,
// against the provider fakes, and what they archive is the rolling window.

let engine: Engine | null = null;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await engine?.close();
  engine = null;
  for (const close of closers.splice(0)) await close();
});

const HOUR = 3_600_000;

async function envoyWorld(): Promise<FakeEnvoy> {
  const storage: FakeStorage = await createFakeStorage();
  const envoy = await startFakeEnvoy({ storage, seedDefaults: false });
  closers.push(async () => {
    await envoy.close();
    await storage.close();
  });
  return envoy;
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; message: string }): T {
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

/** Waits until the account's schedule has settled a run after `after` (a sync runs for real). */
async function settled(api: InProcessApi, accountId: number, after: Date): Promise<ScheduleView> {
  for (let i = 0; i < 400; i++) {
    const view = unwrap(await api.schedulesList({})).find((s) => s.accountId === accountId)!;
    if (view.lastRunAt && view.lastRunAt >= after.toISOString() && view.lastResult !== 'Running') {
      return view;
    }
    await delay(25);
  }
  throw new Error('the scheduled run did not settle');
}

const archivedCalls = (e: Engine) =>
  (
    e.db
      .prepare(`SELECT remote_id FROM recordings WHERE state = 'archived' ORDER BY recorded_at`)
      .all() as { remote_id: string }[]
  ).map((r) => r.remote_id);

describe('schedules', () => {
  it('every 6h syncs the last N days by date on a fake clock: old calls never, new ones next run', async () => {
    const envoy = await envoyWorld();
    const tooOld = await envoy.addAudioCall({ callTime: '2024-03-01T10:00:00Z' });
    const inWindow = await envoy.addAudioCall({ callTime: '2024-03-08T09:00:00Z' });
    const today = await envoy.addAudioCall({ callTime: '2024-03-10T08:00:00Z' });
    const clock = new FakeClock('2024-03-10T12:00:00Z');
    engine = await openTestEngine({ ENVOY_KEY: envoy.apiKey }, { clock, runSchedules: true });
    const api = inProcessApi(engine.handlers, engine.events);
    const account = engine.accounts.add(
      'envoy',
      { name: 'Envoy', baseUrl: envoy.baseUrl },
      { secretEnv: 'ENVOY_KEY' },
    );
    const events: { ok: boolean; message: string }[] = [];
    api.onScheduleRun((e) => events.push(e));

    const set = unwrap(
      await api.scheduleSet({ accountId: account.id, everyHours: 6, windowDays: 3 }),
    );
    // Never run: due at once; nothing has run before the clock moves.
    expect(set).toMatchObject({ lastRunAt: null, nextRunAt: '2024-03-10T12:00:00.000Z' });
    expect(archivedCalls(engine)).toEqual([]);

    clock.advance(0);
    const first = await settled(api, account.id, clock.now());
    expect(first).toMatchObject({
      lastRunAt: '2024-03-10T12:00:00.000Z',
      nextRunAt: '2024-03-10T18:00:00.000Z',
      lastError: null,
      lastResult: '2 archived, 0 failed, 0 waiting',
    });
    expect(archivedCalls(engine)).toEqual([inWindow.id, today.id]);
    const firstJob = unwrap(await api.jobsList({})).find((j) => j.id === first.lastJobId)!;
    expect(firstJob.label).toContain('2024-03-07');

    // A call made meanwhile is archived by the next run, six hours later, not before.
    const later = await envoy.addAudioCall({ callTime: '2024-03-10T15:00:00Z' });
    clock.advance(5 * HOUR);
    await delay(50);
    expect(archivedCalls(engine)).not.toContain(later.id);
    expect(clock.nextTimer?.toISOString()).toBe('2024-03-10T18:00:00.000Z');
    clock.advance(HOUR);
    const second = await settled(api, account.id, new Date('2024-03-10T18:00:00Z'));
    expect(second.nextRunAt).toBe('2024-03-11T00:00:00.000Z');
    expect(archivedCalls(engine)).toEqual([inWindow.id, today.id, later.id]);
    expect(archivedCalls(engine)).not.toContain(tooOld.id);
    expect(events.map((e) => e.ok)).toEqual([true, true]);
  });

  it('Kallglot: daily at a time, the sessions of a watched folder of CSV/TXT id files', async () => {
    const fake: FakeKallglot = await startFakeKallglot({
      sessions: [dualChannelSession('sess_watch_1'), dualChannelSession('sess_watch_2')],
    });
    closers.push(() => fake.close());
    const folder = tempDir('recvault-watch-');
    fs.writeFileSync(path.join(folder, 'monday.csv'), 'session_id\nsess_watch_1\n');
    fs.writeFileSync(path.join(folder, 'notes.md'), 'sess_watch_2\n');
    const clock = new FakeClock('2024-03-10T12:00:00Z');
    engine = await openTestEngine({ K: fake.apiKey }, { clock, runSchedules: true });
    const api = inProcessApi(engine.handlers, engine.events);
    const account = engine.accounts.add(
      'kallglot',
      { name: 'KG', baseUrl: fake.baseUrl },
      { secretEnv: 'K' },
    );
    await expect(
      api.scheduleSet({ accountId: account.id, dailyAt: '02:30' }),
    ).resolves.toMatchObject({ ok: false, message: expect.stringContaining('watched folder') });
    const set = unwrap(
      await api.scheduleSet({ accountId: account.id, dailyAt: '02:30', watchFolder: folder }),
    );
    const due = nextDailyAfter('02:30', clock.now());
    expect(set.nextRunAt).toBe(due.toISOString());
    clock.advance(due.getTime() - clock.now().getTime() - 1);
    await delay(50);
    expect(unwrap(await api.jobsList({}))).toEqual([]);
    clock.advance(1);
    const run = await settled(api, account.id, due);
    expect(run.lastResult).toBe('3 archived, 0 failed, 0 waiting');
    const sessions = engine.db
      .prepare(`SELECT DISTINCT session_id FROM recordings WHERE state = 'archived'`)
      .pluck()
      .all();
    // Only .csv and .txt files are read.
    expect(sessions).toEqual(['sess_watch_1']);
    expect(run.nextRunAt).toBe(nextDailyAfter('02:30', due).toISOString());
  });

  it('notifies when a scheduled run fails, and says why on the schedule', async () => {
    const envoy = await envoyWorld();
    const clock = new FakeClock('2024-03-10T12:00:00Z');
    // The key's environment variable is not set: the run cannot authenticate.
    engine = await openTestEngine({}, { clock, runSchedules: true });
    const api = inProcessApi(engine.handlers, engine.events);
    const account = engine.accounts.add(
      'envoy',
      { name: 'Broken', baseUrl: envoy.baseUrl },
      { secretEnv: 'MISSING_ENVOY_KEY' },
    );
    const events: { ok: boolean; message: string; accountName: string }[] = [];
    api.onScheduleRun((e) => events.push(e));
    unwrap(await api.scheduleSet({ accountId: account.id, everyHours: 1 }));
    clock.advance(0);
    const run = await settled(api, account.id, clock.now());
    expect(run.lastError).toMatch(/MISSING_ENVOY_KEY/);
    expect(events).toEqual([
      expect.objectContaining({
        ok: false,
        accountName: 'Broken',
        message: expect.stringContaining('Broken'),
      }),
    ]);
    expect(run.nextRunAt).toBe('2024-03-10T13:00:00.000Z');
  });
});
