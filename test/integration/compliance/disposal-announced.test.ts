// A disposal changes library rows, the overview's and the accounts' counts: it is announced
// (libraryChanged with the disposed recordings), so open windows follow without a reload.
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { openAppEngine } from '../../support/handlers.ts';

let engine: Engine | null = null;
let fake: FakeKallglot | null = null;
afterEach(async () => {
  await engine?.close();
  await fake?.close();
  engine = fake = null;
});

describe('disposal', () => {
  it('announces the recordings it disposed of', async () => {
    const old = new Date(Date.now() - 3 * 365 * 86_400_000).toISOString();
    fake = await startFakeKallglot({
      sessions: [dualChannelSession('sess_dispose_ev', { createdAt: old })],
    });
    engine = await openAppEngine({ K: fake.apiKey });
    const account = engine.accounts.add(
      'kallglot',
      { name: 'Old', baseUrl: fake.baseUrl },
      { secretEnv: 'K' },
    );
    const spec = { sessions: [{ id: 'sess_dispose_ev' }], recordingIds: [], callIds: [] };
    await engine.jobs.wait(engine.jobs.start(account.id, spec).id);
    await engine.handlers.retentionSet({ accountId: null, keep: '1y' });
    const preview = await engine.handlers.disposalPreview({});
    expect(preview.eligible.length).toBeGreaterThan(0);

    const announced: number[][] = [];
    engine.events.subscribe((channel, payload) => {
      if (channel === 'libraryChanged') {
        announced.push((payload as { recordingIds: number[] }).recordingIds);
      }
    });
    const result = await engine.handlers.disposalConfirm({ count: preview.eligible.length });
    expect(result.disposed.length).toBe(preview.eligible.length);
    expect(announced.flat().sort()).toEqual(result.disposed.map((d) => d.recordingId).sort());
  });
});
