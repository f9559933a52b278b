// `--secret-stdin` gives the secret of the account the command names: another account the
// same run touches reads its own secret (or says it has none), never the piped one.
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { openTestEngine } from '../../support/engine.ts';
import { request } from '../../support/handlers.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function fake(apiKey: string): Promise<FakeKallglot> {
  const started = await startFakeKallglot({ sessions: [], apiKey });
  closers.push(() => started.close());
  return started;
}

describe('--secret-stdin', () => {
  it('applies to the named account only', async () => {
    const [a, b] = [await fake('sk_test_piped_for_a_0001'), await fake('sk_test_b_own_key_0002')];
    const engine: Engine = await openTestEngine(
      {},
      { secretOverride: { accountName: 'A', secret: a.apiKey } },
    );
    closers.push(() => engine.close());
    const accountA = await request(engine, 'accountsAddWithEnvSecret', {
      provider: 'kallglot',
      name: 'A',
      baseUrl: a.baseUrl,
      secretEnv: 'UNSET_A',
    });
    const accountB = await request(engine, 'accountsAddWithEnvSecret', {
      provider: 'kallglot',
      name: 'B',
      baseUrl: b.baseUrl,
      secretEnv: 'UNSET_B',
    });
    expect((await request(engine, 'accountsTest', { id: accountA.id })).ok).toBe(true);
    const other = await request(engine, 'accountsTest', { id: accountB.id });
    expect(other).toMatchObject({
      ok: false,
      message: expect.stringMatching(/UNSET_B, which is not set/),
    });
    expect(b.requests).toHaveLength(0);
  });
});
