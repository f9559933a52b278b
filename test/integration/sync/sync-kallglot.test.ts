import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { verifyAudit } from '../../../main/core/audit/verify-audit.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { createProviderClient } from '../../../main/core/providers/index.ts';
import { openTestEngine } from '../../support/engine.ts';

let fake: FakeKallglot | null = null;
let engine: Engine | null = null;

afterEach(async () => {
  await engine?.close();
  await fake?.close();
  engine = null;
  fake = null;
});

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('sync from Kallglot', () => {
  it('archives every recording of a session with the right bytes, then downloads nothing again', async () => {
    fake = await startFakeKallglot({
      sessions: [dualChannelSession('sess_A1'), dualChannelSession('sess_B2')],
    });
    engine = await openTestEngine({ KALLGLOT_KEY: fake.apiKey });
    const account = engine.accounts.add(
      'kallglot',
      { name: 'Main', baseUrl: fake.baseUrl },
      { secretEnv: 'KALLGLOT_KEY' },
    );

    const job = engine.jobs.start(account.id, {
      sessions: [{ id: 'sess_A1' }, { id: 'sess_B2' }],
      recordingIds: [],
      callIds: [],
    });
    const done = await engine.jobs.wait(job.id);
    expect(done.state).toBe('done');
    expect(done.totals).toMatchObject({ discovered: 6, archived: 6, failed: 0, pending: 0 });

    const rows = engine.db
      .prepare(`SELECT remote_id, local_path, sha256, state FROM recordings ORDER BY remote_id`)
      .all() as { remote_id: string; local_path: string; sha256: string; state: string }[];
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      const original = fake.recordings.get(row.remote_id)!;
      expect(row.state).toBe('archived');
      expect(row.sha256).toBe(original.sha256);
      const file = path.join(engine.archiveDir(), row.local_path);
      expect(sha256(file)).toBe(original.sha256);
      expect(fs.existsSync(`${file}.json`)).toBe(true);
    }
    const leftovers = fs
      .readdirSync(engine.archiveDir(), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.part') || f.endsWith('.part.json'));
    expect(leftovers).toEqual([]);

    const storageHits = fake.storage.requests.length;
    const again = engine.jobs.start(account.id, {
      sessions: [{ id: 'sess_A1' }],
      recordingIds: [],
      callIds: [],
    });
    const second = await engine.jobs.wait(again.id);
    expect(second.state).toBe('done');
    expect(second.totals).toMatchObject({ discovered: 3, archived: 0, skipped: 3 });
    expect(fake.storage.requests.length).toBe(storageHits);

    const audit = verifyAudit(engine.db);
    expect(audit.ok).toBe(true);
    const archivedEntries = engine.db
      .prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'recording.archived'`)
      .get() as { n: number };
    expect(archivedEntries.n).toBe(6);
  });

  it('downloads soonest-to-expire first, whatever order discovery found them in', async () => {
    // Days until retention deletes each recording, in discovery order: neither that order nor
    // its reverse is the expiry order, so a FIFO or LIFO queue cannot pass.
    const days = { a1: 9, a2: 2, a3: 14, a4: 5, b1: 1, b2: 11, b3: 7 };
    const seed = (ids: (keyof typeof days)[]) =>
      ids.map((id) => ({
        id: `rec_exp_${id}`,
        channel: 'agent' as const,
        expiresAt: new Date(Date.now() + days[id] * 86400_000).toISOString(),
      }));
    fake = await startFakeKallglot({
      sessions: [
        { id: 'sess_exp_a', recordings: seed(['a1', 'a2', 'a3', 'a4']) },
        { id: 'sess_exp_b', recordings: seed(['b1', 'b2', 'b3']) },
      ],
    });
    engine = await openTestEngine({ K: fake.apiKey }, { concurrency: 1 });
    const account = engine.accounts.add(
      'kallglot',
      { name: 'A', baseUrl: fake.baseUrl },
      { secretEnv: 'K' },
    );
    const job = engine.jobs.start(account.id, {
      sessions: [{ id: 'sess_exp_a' }, { id: 'sess_exp_b' }],
      recordingIds: [],
      callIds: [],
    });
    const done = await engine.jobs.wait(job.id);
    expect(done.totals).toMatchObject({ discovered: 7, archived: 7, failed: 0 });

    const byExpiry = Object.entries(days)
      .sort(([, x], [, y]) => x - y)
      .map(([id]) => `rec_exp_${id}`);
    // The order the files were fetched from storage, one at a time.
    const fetched = fake.storage.requests
      .filter((r) => r.method === 'GET')
      .map((r) => /rec_exp_\w+?(?=\.)/.exec(decodeURIComponent(r.path))?.[0])
      .filter((id, i, all): id is string => id !== undefined && all.indexOf(id) === i);
    expect(fetched).toEqual(byExpiry);
  });

  it('stops the job with a clear error naming the key when the key is refused', async () => {
    fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_A1')] });
    engine = await openTestEngine({ K: 'sk_test_wrong' });
    const account = engine.accounts.add(
      'kallglot',
      { name: 'Bad', baseUrl: fake.baseUrl },
      { secretEnv: 'K' },
    );
    const job = engine.jobs.start(account.id, {
      sessions: [{ id: 'sess_A1' }],
      recordingIds: [],
      callIds: [],
    });
    const done = await engine.jobs.wait(job.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/API key/);
    expect(done.error).not.toContain('sk_test_wrong');
    expect(engine.accounts.list()[0]!.authError).toMatch(/API key/);
  });
});

describe('account rate limit', () => {
  it('gives the provider client the plan limit the account was set to', async () => {
    const made: { requestsPerMinute?: number }[] = [];
    fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_R1')] });
    engine = await openTestEngine(
      { K: fake.apiKey },
      {
        createClient: (config, deps) => {
          made.push(deps ?? {});
          return createProviderClient(config, deps);
        },
      },
    );
    const account = engine.accounts.add(
      'kallglot',
      { name: 'Pro', baseUrl: fake.baseUrl, requestsPerMinute: 300 },
      { secretEnv: 'K' },
    );
    expect(engine.accounts.list()[0]!.requestsPerMinute).toBe(300);
    await engine.jobs.wait(
      engine.jobs.start(account.id, {
        sessions: [{ id: 'sess_R1' }],
        recordingIds: [],
        callIds: [],
      }).id,
    );
    expect(made.map((deps) => deps?.requestsPerMinute)).toEqual([300]);
    // The fake holds the lowest tier (60/min) and says so: the lower server limit is in force.
    expect(engine.accounts.list()[0]!.rateLimit).toEqual({
      requestsPerMinute: 60,
      source: 'server',
    });
    engine.accounts.update(account.id, { requestsPerMinute: null }, null);
    expect(engine.accounts.list()[0]!.rateLimit).toEqual({
      requestsPerMinute: 60,
      source: 'provider',
    });
    await engine.accounts.test(account.id);
    expect(made.at(-1)?.requestsPerMinute).toBeUndefined();
    expect(engine.accounts.list()[0]!.rateLimit).toEqual({
      requestsPerMinute: 60,
      source: 'server',
    });
  });
});
