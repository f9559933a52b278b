import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectRetentionCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSidecar, sidecarPathFor } from '../../../main/core/archive/sidecar.ts';
import { makeS3Client } from '../../../main/core/vault/client.ts';
import { bufferDigests } from '../../../main/core/vault/hashes.ts';
import { recordingKeys } from '../../../main/core/vault/keys.ts';
import { putLockedObject } from '../../../main/core/vault/put-object.ts';
import { readVaultIndex } from '../../../main/core/vault/vault-index.ts';
import { listKeys } from '../../../main/core/vault/verify.ts';
import { startCephS3, type CephS3 } from '../../support/ceph-s3.ts';
import { queryIndex } from '../../support/data-dir.ts';
import { kallglotRecording } from '../../support/index-fixtures.ts';
import { makeTempDir, removeDir } from '../../support/tmp.ts';
import { safeSegment } from '../../../main/core/archive/layout.ts';
import { recvaultIn } from '../custody/cli-run.ts';

// Day bundles on a real Ceph RGW: a vault of 500 recordings over 5 days is attached by reading
// its 5 bundles, not 500 sidecars; recordings no bundle covers are read one by one and bundled
// by the attaching officer; duplicate bundles (a back-fill, a second officer) count once.
let ceph: CephS3;
let s3: S3Client;
const BUCKET = 'bundles';
const DAY = 86_400_000;
const DAYS = ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28'];
const PER_DAY = 100;

beforeAll(async () => {
  ceph = await startCephS3();
  s3 = makeS3Client({ ...ceph });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, ObjectLockEnabledForBucket: true }));
}, 240_000);

afterAll(async () => {
  s3?.destroy();
  await ceph?.stop();
}, 60_000);

function keysEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, S3_AK: ceph.accessKeyId, S3_SK: ceph.secretAccessKey };
}

function vaultArgs(verb: 'add' | 'attach'): string[] {
  return [
    'vault',
    verb,
    's3',
    '--endpoint',
    ceph.endpoint,
    '--bucket',
    BUCKET,
    '--access-key-env',
    'S3_AK',
    '--secret-key-env',
    'S3_SK',
    '--mode',
    'compliance',
    '--retain-days',
    '30',
  ];
}

/** A recording's media bytes and sidecar text, as a sync would have archived them. */
function archivedRecording(day: string, n: number) {
  const remoteId = `rec_${day.replaceAll('-', '')}_${String(n).padStart(3, '0')}`;
  const relativePath = `kallglot/Acme/${day.replaceAll('-', '/')}/${remoteId}.wav`;
  const media = randomBytes(1500 + n);
  const sidecar = buildSidecar({
    account: { id: '1', name: 'Acme' },
    recording: kallglotRecording({
      remoteId,
      sessionId: `sess_${day}`,
      format: 'wav',
      contentType: 'audio/wav',
      size: media.length,
      recordedAt: `${day}T${String(8 + (n % 10)).padStart(2, '0')}:00:00.000Z`,
      createdAt: `${day}T18:00:00.000Z`,
      raw: { id: remoteId },
    }),
    file: {
      relativePath,
      size: media.length,
      sha256: bufferDigests(media).sha256,
      contentType: 'audio/wav',
    },
    archivedAt: `${day}T19:00:00.000Z`,
    recorderVersion: 'test',
  });
  return { remoteId, relativePath, media, sidecarText: JSON.stringify(sidecar, null, 2) + '\n' };
}

interface Row {
  remote_id: string;
  recorded_at: string;
  sha256: string;
  local_path: string;
  local_size: number;
  session_id: string;
  account: string;
}

function indexRows(dataDir: string): Row[] {
  return queryIndex<Row>(
    dataDir,
    `SELECT r.remote_id, r.recorded_at, r.sha256, r.local_path, r.local_size, r.session_id,
       a.name AS account
     FROM recordings r JOIN accounts a ON a.id = r.account_id
     WHERE r.state = 'archived' ORDER BY r.remote_id`,
  );
}

/** An S3 client that records every command it sends, with the key or prefix it names. */
function countingClient() {
  const client = makeS3Client({ ...ceph });
  const calls: { command: string; key: string }[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: string; Prefix?: string };
      calls.push({ command: context.commandName!, key: input.Key ?? input.Prefix ?? '' });
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return { client, calls };
}

async function versionCounts(prefix: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: BUCKET,
        Prefix: prefix,
        KeyMarker: keyMarker,
        VersionIdMarker: versionMarker,
      }),
    );
    for (const v of page.Versions ?? []) counts.set(v.Key!, (counts.get(v.Key!) ?? 0) + 1);
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return counts;
}

describe('day bundles of the vault on Ceph RGW', () => {
  // Data directories that live through the file's tests (each test builds on the last).
  let origin = '';
  let second = '';
  let dirs: string[] = [];
  beforeAll(async () => {
    dirs = [await makeTempDir('bundles-origin'), await makeTempDir('bundles-second')];
    [origin, second] = dirs.map((dir) => path.join(dir, 'data')) as [string, string];
  });
  afterAll(async () => {
    for (const dir of dirs) await removeDir(dir);
  });
  const legacy = [1, 2, 3].map((n) => archivedRecording('2026-11-29', n));

  it('a sync bundles its recordings per day under retention: 5 bundles for 500 recordings over 5 days', async () => {
    expect((await recvaultIn(origin, ['vault', 'status'], keysEnv())).code).toBe(0);
    for (const day of DAYS) {
      for (let n = 0; n < PER_DAY; n++) {
        const r = archivedRecording(day, n);
        const file = path.join(origin, 'archive', ...r.relativePath.split('/'));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, r.media);
        fs.writeFileSync(sidecarPathFor(file), r.sidecarText);
      }
    }
    expect((await recvaultIn(origin, ['reindex'], keysEnv())).code).toBe(0);
    expect(indexRows(origin)).toHaveLength(500);
    expect((await recvaultIn(origin, vaultArgs('add'), keysEnv())).code).toBe(0);
    const synced = await recvaultIn(origin, ['vault', 'sync'], keysEnv());
    expect(synced.stderr).toBe('');
    expect(synced.stdout).toMatch(/1000 object\(s\) uploaded, 0 already in the vault, 0 failed/);
    expect(synced.stdout).toMatch(/500 recording\(s\) added to day bundles/);

    const bundles = await listKeys(s3, BUCKET, 'index/');
    expect(bundles.map((k) => k.split('/').slice(0, 4).join('/'))).toEqual(
      DAYS.map((day) => `index/kallglot/${safeSegment('Acme')}/${day}`),
    );
    for (const key of bundles) expect(key).toMatch(/\/\d{8}T\d{9}Z-[0-9a-f]{16}\.jsonl\.gz$/);
    // A bundle is a record like the others: locked, and the store refuses its deletion.
    const retention = await s3.send(
      new GetObjectRetentionCommand({ Bucket: BUCKET, Key: bundles[0]! }),
    );
    expect(retention.Retention?.Mode).toBe('COMPLIANCE');
    expect(retention.Retention!.RetainUntilDate!.getTime()).toBeGreaterThan(Date.now() + 29 * DAY);
    const version = (
      await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: bundles[0]! }))
    ).Versions![0]!.VersionId!;
    await expect(
      s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: bundles[0]!, VersionId: version })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });

    // A second sync has nothing to bundle.
    const again = await recvaultIn(origin, ['vault', 'sync'], keysEnv());
    expect(again.stdout).toMatch(/0 object\(s\) uploaded.*0 recording\(s\) added to day bundles/s);
    expect(await listKeys(s3, BUCKET, 'index/')).toHaveLength(5);
  }, 300_000);

  it('reading the vault index takes one GET per day bundle, not one per recording', async () => {
    const { client, calls } = countingClient();
    const index = await readVaultIndex(client, BUCKET, '');
    client.destroy();
    expect(index.problems).toEqual([]);
    expect(index.entries).toHaveLength(500);
    expect(index.sidecarsRead).toBe(0);
    const gets = calls.filter((c) => c.command === 'GetObjectCommand');
    expect(gets).toHaveLength(5);
    expect(gets.every((c) => c.key.startsWith('index/'))).toBe(true);
    // Two listings (index/, recordings/: 1,000 keys a page) besides the GETs.
    expect(calls.length).toBeLessThanOrEqual(5 + 3);
  });

  it('recordings no bundle covers are read from their own sidecars, and the attaching officer bundles them', async () => {
    // Three recordings vaulted as before bundles existed: media and sidecar, no bundle.
    for (const r of legacy) {
      const keys = recordingKeys('', {
        provider: 'kallglot',
        accountName: 'Acme',
        remoteId: r.remoteId,
        recordedAt: '2026-11-29T08:00:00.000Z',
        extension: 'wav',
      });
      const lock = {
        mode: 'COMPLIANCE' as const,
        retainUntil: new Date(Date.now() + 30 * DAY),
        legalHold: false,
      };
      for (const [key, bytes] of [
        [keys.media, r.media],
        [keys.sidecar, Buffer.from(r.sidecarText)],
      ] as const) {
        await putLockedObject(s3, {
          bucket: BUCKET,
          key,
          body: bytes,
          digests: bufferDigests(bytes),
          contentType: 'application/octet-stream',
          lock,
        });
      }
    }
    const counted = countingClient();
    const before = await readVaultIndex(counted.client, BUCKET, '');
    counted.client.destroy();
    expect(before.entries).toHaveLength(503);
    expect(before.sidecarsRead).toBe(3);
    expect(counted.calls.filter((c) => c.command === 'GetObjectCommand')).toHaveLength(5 + 3);
    const versionsBefore = await versionCounts('recordings/');

    expect((await recvaultIn(second, ['vault', 'status'], keysEnv())).code).toBe(0);
    const attached = await recvaultIn(second, vaultArgs('attach'), keysEnv());
    expect(attached.stderr).toBe('');
    expect(attached.code).toBe(0);
    // The attached index is the origin's, plus the three recordings only the vault had.
    const expected = [...indexRows(origin), ...legacy.map((r) => ({ remote_id: r.remoteId }))].sort(
      (a, b) => a.remote_id.localeCompare(b.remote_id),
    );
    const mine = indexRows(second);
    expect(mine.map((r) => r.remote_id)).toEqual(expected.map((r) => r.remote_id));
    const originRows = new Map(indexRows(origin).map((r) => [r.remote_id, r]));
    for (const row of mine) {
      if (originRows.has(row.remote_id)) expect(row).toEqual(originRows.get(row.remote_id));
    }
    // Attach wrote one back-fill bundle (the three), no recording object.
    const bundles = await listKeys(s3, BUCKET, 'index/');
    expect(bundles).toHaveLength(6);
    expect(
      bundles.filter((k) => k.startsWith(`index/kallglot/${safeSegment('Acme')}/2026-11-29/`)),
    ).toHaveLength(1);
    expect(await versionCounts('recordings/')).toEqual(versionsBefore);

    const after = countingClient();
    const index = await readVaultIndex(after.client, BUCKET, '');
    after.client.destroy();
    expect(index.entries).toHaveLength(503);
    expect(index.sidecarsRead).toBe(0);
    expect(after.calls.filter((c) => c.command === 'GetObjectCommand')).toHaveLength(6);
  }, 300_000);

  it('bundles written twice for the same recordings (a back-fill, a second officer) count once', async () => {
    // The origin as a data directory from before bundles: it back-fills all 500 again.
    const db = new Database(path.join(origin, 'index.sqlite'));
    db.exec('DELETE FROM vault_bundled; DELETE FROM vault_bundles;');
    db.close();
    const synced = await recvaultIn(origin, ['vault', 'sync'], keysEnv());
    expect(synced.stdout).toMatch(/500 recording\(s\) added to day bundles/);
    expect(await listKeys(s3, BUCKET, 'index/')).toHaveLength(11);
    const index = await readVaultIndex(s3, BUCKET, '');
    expect(index.problems).toEqual([]);
    expect(index.entries).toHaveLength(503);
    expect(new Set(index.entries.map((e) => e.mediaKey)).size).toBe(503);
    expect(index.sidecarsRead).toBe(0);
  }, 300_000);
});
