// A sync that finds the account's key refused announces the change (accountsChanged), so the
// Accounts screen shows "rejected the API key" without a reload; a later success clears it.
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { openTestEngine } from '../../support/engine.ts';

let engine: Engine | null = null;
let fake: FakeKallglot | null = null;
afterEach(async () => {
  await engine?.close();
  await fake?.close();
  engine = fake = null;
});

describe('account status', () => {
  it('a refused key found by a sync is announced, and so is its recovery', async () => {
    fake = await startFakeKallglot({
      sessions: [{ id: 'sess_st', recordings: [{ channel: 'agent' }] }],
    });
    const env: Record<string, string> = { KALLGLOT_KEY: 'not-the-key' };
    engine = await openTestEngine(env);
    const account = engine.accounts.add(
      'kallglot',
      { name: 'Status', baseUrl: fake.baseUrl },
      { secretEnv: 'KALLGLOT_KEY' },
    );
    let announced = 0;
    engine.events.subscribe((channel) => {
      if (channel === 'accountsChanged') announced++;
    });
    const spec = { sessions: [{ id: 'sess_st' }], recordingIds: [], callIds: [] };
    await engine.jobs.wait(engine.jobs.start(account.id, spec).id);
    expect(announced).toBe(1);
    expect(engine.accounts.list()[0]!.authError).toContain('rejected the API key');

    env.KALLGLOT_KEY = fake.apiKey;
    await engine.jobs.wait(engine.jobs.start(account.id, spec).id);
    expect(engine.accounts.list()[0]!.authError).toBeNull();
    expect(announced).toBe(2);
  });
});
