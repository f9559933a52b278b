import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FixitySchedule } from '../../../main/core/custody/fixity-schedule.ts';
import { keyFileSource } from '../../../main/core/custody/signing-key.ts';
import type { Engine } from '../../../main/core/engine.ts';
import { IntegrityService } from '../../../main/core/integrity/integrity-service.ts';
import { delay } from '../../support/async.ts';
import { openTestEngine } from '../../support/engine.ts';
import { request } from '../../support/handlers.ts';
import { tempDir } from '../../support/tmp.ts';

// Fixity over time: when a verification is due (weekly by default, after the last one), the app
// verifies the archive and the log, which leaves audit entries and a checkpoint.

const DAY = 86_400_000;
let engine: Engine | null = null;
let schedule: FixitySchedule | null = null;
afterEach(async () => {
  await schedule?.stop();
  await engine?.close();
  schedule = null;
  engine = null;
});

async function setUp(daysLater: number) {
  const keyFile = path.join(tempDir('recvault-keys-'), 'signing-key.pem');
  keyFileSource(keyFile).create();
  engine = await openTestEngine({}, { signingKey: keyFileSource(keyFile) });
  const integrity = new IntegrityService({
    db: engine.db,
    archiveDir: () => engine!.archiveDir(),
    actor: 'system',
    events: engine.events,
    custody: engine.custody,
  });
  const opened = Date.now();
  const clock = { now: opened };
  schedule = new FixitySchedule({
    custody: engine.custody,
    verify: async () => {
      await integrity.verifyArchive('scheduled');
      await integrity.verifyAudit('scheduled');
      // The run is stamped with the real time: from here the clock is real again, or the next
      // run (a week after that stamp) would already look due on the fake clock and run at once.
      clock.now = Date.now();
    },
    now: () => clock.now,
  });
  clock.now = opened + daysLater * DAY;
  return { engine, schedule, opened };
}

async function waitFor(done: () => boolean): Promise<void> {
  // Up to 20 s: the verification runs in the background and a loaded CI machine is slow.
  for (let i = 0; i < 800 && !done(); i++) await delay(25);
  expect(done()).toBe(true);
}

const actions = (engine: Engine) =>
  (
    engine.db.prepare('SELECT action, actor FROM audit_log ORDER BY seq').all() as {
      action: string;
      actor: string;
    }[]
  ).filter((row) => row.action === 'verify.run' || row.action === 'audit.verified');

describe('the scheduled verification', () => {
  it('runs once a week has passed: audit entries and a checkpoint of reason "scheduled"', async () => {
    const { engine, schedule } = await setUp(8);
    schedule.plan();
    await waitFor(() => actions(engine).length >= 2);
    await delay(300); // once, not again at once
    expect(actions(engine)).toEqual([
      { action: 'verify.run', actor: 'system' },
      { action: 'audit.verified', actor: 'system' },
    ]);
    const status = await request(engine, 'custodyStatus', {});
    expect(status.lastCheckpoint?.reason).toBe('scheduled');
    expect(fs.existsSync(status.lastCheckpoint!.file)).toBe(true);
    expect(status.lastVerifyAt).not.toBeNull();
  });

  it('waits until it is due, and not at all at 0 days', async () => {
    const { engine, schedule, opened } = await setUp(6);
    schedule.plan();
    const status = await request(engine, 'custodyStatus', {});
    expect(Date.parse(status.nextScheduledVerifyAt!)).toBe(opened + 7 * DAY);
    await delay(200);
    expect(actions(engine)).toEqual([]);

    await request(engine, 'custodySettingsUpdate', { verifyEveryDays: 0 });
    schedule.plan();
    expect((await request(engine, 'custodyStatus', {})).nextScheduledVerifyAt).toBeNull();
  });
});
