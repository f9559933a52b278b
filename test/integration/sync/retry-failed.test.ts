// "Retry failed" through the handler table, against the Kallglot fake: only what failed is
// fetched again, and once the provider has it ready it is archived, counted and audited.
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import {
  expectArchivedRowsMatch,
  mediaFiles,
  queryIndex,
  recordings,
  storageDownloads,
} from '../../support/data-dir.ts';
import { newDataDir } from '../../support/engine.ts';
import { openAppEngine, request, settledJob } from '../../support/handlers.ts';

let fake: FakeKallglot | null = null;
let engine: Engine | null = null;

afterEach(async () => {
  await engine?.close();
  await fake?.close();
  engine = fake = null;
});

function auditActions(dataDir: string, subject: string): string[] {
  return queryIndex<{ action: string }>(
    dataDir,
    'SELECT action FROM audit_log WHERE subject = ? ORDER BY seq',
    subject,
  ).map((row) => row.action);
}

describe('retry failed', () => {
  it('fetches again only what failed, and archives it once the provider has it', async () => {
    fake = await startFakeKallglot({
      sessions: [
        {
          id: 'sess_retry',
          recordings: [
            { id: 'rec_retry_ok', channel: 'agent' },
            { id: 'rec_retry_bad', channel: 'customer', status: 'failed' },
          ],
        },
      ],
    });
    const dataDir = newDataDir();
    engine = await openAppEngine({ K: fake.apiKey }, { dataDir });
    const account = engine.accounts.add(
      'kallglot',
      { name: 'Main', baseUrl: fake.baseUrl },
      { secretEnv: 'K' },
    );
    const job = await request(engine, 'syncStart', {
      accountId: account.id,
      sessions: [{ id: 'sess_retry' }],
    });
    const first = await settledJob(engine, job.id);
    expect(first.totals).toMatchObject({ archived: 1, failed: 1 });
    const bad = recordings(dataDir).find((r) => r.remote_id === 'rec_retry_bad')!;
    expect(bad.state).toBe('failed');
    expect(bad.last_error).toBeTruthy();
    const [item] = (await request(engine, 'jobItems', { jobId: job.id })).filter(
      (i) => i.remoteId === 'rec_retry_bad',
    );
    expect(item).toMatchObject({ state: 'failed', error: bad.last_error });
    expect(auditActions(dataDir, `recording:${bad.id}`)).not.toContain('recording.archived');
    expect(mediaFiles(dataDir)).toHaveLength(1);

    // The provider finishes it; the user asks for the failed ones again.
    fake.update('rec_retry_bad', { status: 'ready' });
    const downloadsBefore = storageDownloads(fake.storage);
    await request(engine, 'jobRetryFailed', { jobId: job.id });
    const second = await settledJob(engine, job.id);
    expect(second.state).toBe('done');
    expect(second.totals).toMatchObject({ archived: 2, failed: 0, pending: 0 });
    // One more file fetched: the one that failed, not the one already archived.
    expect(storageDownloads(fake.storage)).toBe(downloadsBefore + 1);
    expect(fake.storage.requests.at(-1)!.path).toContain('rec_retry_bad');

    const rows = recordings(dataDir);
    expectArchivedRowsMatch(dataDir, rows, (r) => fake!.recordings.get(r.remote_id)?.sha256);
    expect(rows.find((r) => r.remote_id === 'rec_retry_bad')!.last_error).toBeNull();
    expect(mediaFiles(dataDir)).toHaveLength(2);
    expect(auditActions(dataDir, `recording:${bad.id}`)).toContain('recording.archived');
    const items = await request(engine, 'jobItems', { jobId: job.id });
    expect(items.map((i) => [i.remoteId, i.state, i.error]).sort()).toEqual([
      ['rec_retry_bad', 'archived', null],
      ['rec_retry_ok', 'archived', null],
    ]);
  });
});
