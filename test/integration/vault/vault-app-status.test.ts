import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChannel } from '../../../main/core/contract/channels.ts';
import type { VaultStatus } from '../../../main/core/contract/vault.ts';
import type { Engine } from '../../../main/core/engine.ts';
import { makeS3Client } from '../../../main/core/vault/client.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { startCephS3, type CephS3 } from '../../support/ceph-s3.ts';
import { openTestEngine } from '../../support/engine.ts';

// What the app's Team vault panel reads from the engine, on a real Ceph RGW: the status's last
// upload and busy flag, the vaultChanged events that keep the panel live, and an attach's
// progress (recordings copied of how many) with the library and accounts told to refresh.
let ceph: CephS3;
let s3: S3Client;
let fake: FakeKallglot;
const engines: Engine[] = [];

beforeAll(async () => {
  ceph = await startCephS3();
  s3 = makeS3Client({ ...ceph });
  await s3.send(new CreateBucketCommand({ Bucket: 'app', ObjectLockEnabledForBucket: true }));
  fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_app')] });
}, 240_000);

afterAll(async () => {
  for (const engine of engines) await engine.close();
  await fake?.close();
  s3?.destroy();
  await ceph?.stop();
}, 60_000);

const env = () => ({
  KALLGLOT_KEY: fake.apiKey,
  S3_AK: ceph.accessKeyId,
  S3_SK: ceph.secretAccessKey,
});

const target = (attach: boolean) => ({
  endpoint: ceph.endpoint,
  bucket: 'app',
  region: 'us-east-1',
  prefix: '',
  mode: 'compliance' as const,
  retainDays: 30,
  attach,
  copyMedia: false,
  accessKeyEnv: 'S3_AK',
  secretKeyEnv: 'S3_SK',
});

async function open(): Promise<Engine> {
  const engine = await openTestEngine(env());
  engines.push(engine);
  return engine;
}

/** Every event the engine pushes, by channel, and the status read at each vaultChanged. */
function watch(engine: Engine): { counts: Map<EventChannel, number>; seen: VaultStatus[] } {
  const counts = new Map<EventChannel, number>();
  const seen: VaultStatus[] = [];
  engine.events.subscribe((channel) => {
    counts.set(channel, (counts.get(channel) ?? 0) + 1);
    if (channel === 'vaultChanged') seen.push(engine.handlers.vaultStatus({}) as VaultStatus);
  });
  return { counts, seen };
}

describe('the vault status the app shows', () => {
  it('says when an object was last vaulted and tells the app as the upload runs', async () => {
    const engine = await open();
    const account = engine.accounts.add(
      'kallglot',
      { name: 'Archive', baseUrl: fake.baseUrl },
      { secretEnv: 'KALLGLOT_KEY' },
    );
    const added = await engine.handlers.vaultAddWithEnvKeys(target(false));
    expect(added.lastUploadAt).toBeNull();
    expect(added.busy).toBe(false);

    const { counts, seen } = watch(engine);
    const started = Date.now();
    const job = engine.jobs.start(account.id, {
      sessions: [{ id: 'sess_app' }],
      recordingIds: [],
      callIds: [],
    });
    await engine.jobs.wait(job.id);
    // The vault upload follows the job's end (onJobEnded): wait for it to settle.
    await expect.poll(() => seen.at(-1)?.busy, { timeout: 30_000 }).toBe(false);
    const status = engine.handlers.vaultStatus({}) as VaultStatus;
    expect(status.vaulted).toBeGreaterThanOrEqual(6);
    expect(status.queued + status.failed).toBe(0);
    expect(Date.parse(status.lastUploadAt!)).toBeGreaterThanOrEqual(started - 1000);
    expect(seen.some((s) => s.busy)).toBe(true);
    expect(counts.get('vaultChanged')).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('reports an attach’s progress and has the library and accounts refreshed', async () => {
    const engine = await open();
    const { counts, seen } = watch(engine);
    const attached = await engine.handlers.vaultAddWithEnvKeys(target(true));
    expect(attached.attaching).toBeNull();
    expect(attached.target?.attached).toBe(true);
    const progress = seen.map((s) => s.attaching).filter((a) => a !== null);
    // Throttled to one event per 250 ms: the indexing of 3 may show only its end, seen until
    // the queue is checked (attach copies no media by default: copyingMedia false).
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.every((a) => a!.total === 3 && a!.copied <= 3)).toBe(true);
    expect(progress.at(-1)).toEqual({ copied: 3, total: 3, copyingMedia: false });
    expect(counts.get('libraryChanged')).toBeGreaterThanOrEqual(1);
    expect(counts.get('accountsChanged')).toBeGreaterThanOrEqual(1);
    const accounts = await engine.handlers.accountsList({});
    const archived = accounts.reduce((sum, account) => sum + account.archivedCount, 0);
    expect(archived).toBe(3);
  }, 120_000);
});
