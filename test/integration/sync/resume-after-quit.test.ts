import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { archiveDir, partials } from '../../support/data-dir.ts';
import { tempDir } from '../../support/tmp.ts';
import { openTestEngine } from '../../support/engine.ts';

let fake: FakeKallglot | null = null;

async function partWithBytes(dataDir: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  const size = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  const kept = () =>
    partials(dataDir).some(
      (f) => f.endsWith('.part') && size(path.join(archiveDir(dataDir), f)) > 0,
    );
  while (!kept()) {
    if (Date.now() > deadline) throw new Error('no download wrote a byte within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
const engines: Engine[] = [];

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close().catch(() => {});
  await fake?.close();
  fake = null;
});

describe('quitting the app mid-sync', () => {
  it('pauses the job and resumes it where it was at the next start', async () => {
    fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_Q1')] });
    // Every download trickles, so the quit lands mid-body.
    fake.storage.faults.inject({ type: 'slow_body', chunkBytes: 2048, delayMs: 40 }, { times: 3 });
    const dataDir = path.join(tempDir(), 'data');
    const first = await openTestEngine({ K: fake.apiKey }, { dataDir });
    engines.push(first);
    const account = first.accounts.add(
      'kallglot',
      { name: 'Q', baseUrl: fake.baseUrl },
      { secretEnv: 'K' },
    );
    const job = first.jobs.start(account.id, {
      sessions: [{ id: 'sess_Q1' }],
      recordingIds: [],
      callIds: [],
    });
    // Quit once bytes are on disk but before the trickle (≥ 0.5 s per file) can finish: wait
    // for a kept .part rather than a fixed time (on a loaded machine 250 ms was often too soon).
    await partWithBytes(dataDir);
    await first.close();
    engines.pop();
    expect(first.db.open).toBe(false);

    const second = await openTestEngine({ K: fake.apiKey }, { dataDir, resumeInterrupted: true });
    engines.push(second);
    const done = await second.jobs.wait(job.id);
    expect(done.state).toBe('done');
    expect(done.totals).toMatchObject({ discovered: 3, archived: 3, failed: 0 });
    const rows = second.db.prepare('SELECT remote_id, local_path FROM recordings').all() as {
      remote_id: string;
      local_path: string;
    }[];
    for (const row of rows) {
      const bytes = fs.readFileSync(path.join(second.archiveDir(), row.local_path));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(
        fake.recordings.get(row.remote_id)!.sha256,
      );
    }
    // The resumed downloads asked for the rest of a kept .part, not the whole file again.
    expect(
      fake.storage.requests.some((r) => /^bytes=[1-9]\d*-$/.test(String(r.headers.range ?? ''))),
    ).toBe(true);
  });
});
