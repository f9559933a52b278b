import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeS3Client } from '../../../main/core/vault/client.ts';
import { startCephS3, type CephS3 } from '../../support/ceph-s3.ts';
import { queryIndex } from '../../support/data-dir.ts';
import { dualChannelSession, startFakeKallglot } from '../../fakes/kallglot.ts';
import { archivedKallglotSession, newDataDir, openTestEngine } from '../../support/engine.ts';
import { tempDir } from '../../support/tmp.ts';
import { recvaultIn } from '../custody/cli-run.ts';

// The team vault end to end on a real Ceph RGW: recordings archived by a real sync, sent to
// the vault by the recvault command, read back from the store.
let ceph: CephS3;
let s3: S3Client;
const DAY = 86_400_000;
const CHILD = path.join(import.meta.dirname, 'vault-child.ts');

beforeAll(async () => {
  ceph = await startCephS3();
  console.log(`ceph rgw ready in ${ceph.startMs} ms, ${ceph.rssMiB} MiB resident`);
  s3 = makeS3Client({ ...ceph });
  for (const bucket of ['team', 'resume', 'shared']) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
  }
  await s3.send(new CreateBucketCommand({ Bucket: 'nolock' }));
}, 240_000);

afterAll(async () => {
  s3?.destroy();
  await ceph?.stop();
}, 60_000);

function keysEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, S3_AK: ceph.accessKeyId, S3_SK: ceph.secretAccessKey };
}

function addArgs(bucket: string, extra: string[] = []): string[] {
  return [
    'vault',
    'add',
    's3',
    '--endpoint',
    ceph.endpoint,
    '--bucket',
    bucket,
    '--access-key-env',
    'S3_AK',
    '--secret-key-env',
    'S3_SK',
    '--mode',
    'compliance',
    '--retain-days',
    '30',
    ...extra,
  ];
}

/** A data directory with one synced Kallglot session (3 recordings archived). */
async function archivedDataDir(session: string): Promise<{ dataDir: string; ids: number[] }> {
  const archived = await archivedKallglotSession(session);
  const dataDir = archived.engine.paths.dataDir;
  await archived.close();
  return { dataDir, ids: archived.ids };
}

interface VaultRow {
  kind: string;
  object_key: string;
  local_path: string;
  sha256: string;
  state: string;
  recording_id: number | null;
}

function vaultRows(dataDir: string): VaultRow[] {
  return queryIndex<VaultRow>(
    dataDir,
    'SELECT kind, object_key, local_path, sha256, state, recording_id FROM vault_items ORDER BY item',
  );
}

async function bytesOf(bucket: string, key: string): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

async function versionsOf(bucket: string): Promise<Map<string, number>> {
  const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
  const counts = new Map<string, number>();
  for (const v of listed.Versions ?? []) counts.set(v.Key!, (counts.get(v.Key!) ?? 0) + 1);
  return counts;
}

describe('the team vault on Ceph RGW', () => {
  it('refuses a bucket without Object Lock, says why and keeps no target', async () => {
    const { dataDir } = await archivedDataDir('sess_nolock');
    const added = await recvaultIn(dataDir, addArgs('nolock'), keysEnv());
    expect(added.code).toBe(2);
    expect(added.stderr).toMatch(/"nolock" has no Object Lock/);
    const status = await recvaultIn(dataDir, ['vault', 'status'], keysEnv());
    expect(status.stdout).toMatch(/No team vault is set up/);
    expect(JSON.stringify(queryIndex(dataDir, 'SELECT * FROM vault_target'))).not.toContain(
      ceph.secretAccessKey,
    );
  });

  it('syncs every archived recording into the vault: the bytes read back, locked, a delete refused', async () => {
    const { dataDir } = await archivedDataDir('sess_vault');
    expect((await recvaultIn(dataDir, addArgs('team', ['--prefix', 'acme']), keysEnv())).code).toBe(
      0,
    );
    const test = await recvaultIn(dataDir, ['vault', 'test'], keysEnv());
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/The vault is ready/);

    const synced = await recvaultIn(dataDir, ['vault', 'sync'], keysEnv());
    expect(synced.stdout).toMatch(/6 object\(s\) uploaded, 0 already in the vault, 0 failed/);
    expect(synced.code).toBe(0);

    const rows = vaultRows(dataDir);
    expect(rows.map((r) => r.state)).toEqual(Array(6).fill('vaulted'));
    const archive = path.join(dataDir, 'archive');
    for (const row of rows) {
      expect(row.object_key).toMatch(
        /^acme\/recordings\/kallglot\/Archive_h[0-9a-f]+\/\d{4}\/\d\d\/\d\d\//,
      );
      const local = fs.readFileSync(path.join(archive, row.local_path));
      expect((await bytesOf('team', row.object_key)).equals(local)).toBe(true);
    }
    const media = rows.find((r) => r.kind === 'media')!;
    const retention = await s3.send(
      new GetObjectRetentionCommand({ Bucket: 'team', Key: media.object_key }),
    );
    expect(retention.Retention?.Mode).toBe('COMPLIANCE');
    expect(retention.Retention!.RetainUntilDate!.getTime()).toBeGreaterThan(Date.now() + 29 * DAY);

    const versions = await s3.send(
      new ListObjectVersionsCommand({ Bucket: 'team', Prefix: media.object_key }),
    );
    const versionId = versions.Versions![0]!.VersionId!;
    await expect(
      s3.send(
        new DeleteObjectCommand({ Bucket: 'team', Key: media.object_key, VersionId: versionId }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    expect((await bytesOf('team', media.object_key)).length).toBeGreaterThan(0);

    // Again: nothing is written twice.
    const again = await recvaultIn(dataDir, ['vault', 'sync'], keysEnv());
    expect(again.stdout).toMatch(/0 object\(s\) uploaded/);
    expect(
      [...(await versionsOf('team')).entries()].filter(
        ([k, n]) => k.startsWith('acme/recordings/') && n > 1,
      ),
    ).toEqual([]);

    // vault verify re-reads the bytes; a version overwritten behind our back is named.
    const verified = await recvaultIn(dataDir, ['vault', 'verify'], keysEnv());
    expect(verified.stdout).toMatch(/6 object\(s\) re-read: every one matches/);
    await s3.send(new PutObjectCommand({ Bucket: 'team', Key: media.object_key, Body: 'forged' }));
    const caught = await recvaultIn(dataDir, ['vault', 'verify', '--sample', '6'], keysEnv());
    expect(caught.code).toBe(1);
    expect(caught.stdout).toContain(`differs    ${media.object_key}`);
  });

  it('sets a legal hold on the objects of a held recording and releases it with the hold', async () => {
    const { dataDir, ids } = await archivedDataDir('sess_hold');
    await recvaultIn(dataDir, addArgs('team', ['--prefix', 'held']), keysEnv());
    expect((await recvaultIn(dataDir, ['vault', 'sync'], keysEnv())).code).toBe(0);
    const held = ids[0]!;
    expect((await recvaultIn(dataDir, ['hold', 'create', 'Matter 7'], keysEnv())).code).toBe(0);
    expect(
      (await recvaultIn(dataDir, ['hold', 'add', 'Matter 7', String(held)], keysEnv())).code,
    ).toBe(0);
    const holdOf = async (key: string) =>
      (await s3.send(new GetObjectLegalHoldCommand({ Bucket: 'team', Key: key }))).LegalHold
        ?.Status;
    const rows = vaultRows(dataDir);
    for (const row of rows) {
      expect([row.object_key, await holdOf(row.object_key)]).toEqual([
        row.object_key,
        row.recording_id === held ? 'ON' : 'OFF',
      ]);
    }
    // The hold went on with hold add: the next sync finds nothing to change.
    const synced = await recvaultIn(dataDir, ['vault', 'sync'], keysEnv());
    expect(synced.stdout).toMatch(/0 legal hold\(s\) changed/);
    await recvaultIn(
      dataDir,
      ['hold', 'release', 'Matter 7', '--reason', 'matter closed'],
      keysEnv(),
    );
    for (const row of rows) expect(await holdOf(row.object_key)).toBe('OFF');
  });

  it('a vault sync killed right after a PUT resumes without writing any object twice', async () => {
    const { dataDir } = await archivedDataDir('sess_resume');
    await recvaultIn(dataDir, addArgs('resume'), keysEnv());
    const killed = await new Promise<{ signal: NodeJS.Signals | null }>((resolve) => {
      const child = spawn(process.execPath, ['--experimental-transform-types', CHILD, dataDir], {
        env: { ...keysEnv(), RECVAULT_TEST_VAULT_KILL_AFTER: '2' },
        stdio: 'ignore',
      });
      child.once('close', (_code, signal) => resolve({ signal }));
    });
    expect(killed.signal).toBe('SIGKILL');
    const before = vaultRows(dataDir);
    expect(before.filter((r) => r.state === 'vaulted').length).toBeLessThan(6);
    expect((await versionsOf('resume')).size).toBeGreaterThanOrEqual(2);

    const resumed = await recvaultIn(dataDir, ['vault', 'sync'], keysEnv());
    expect(resumed.code).toBe(0);
    const counts = /(\d+) object\(s\) uploaded, (\d+) already in the vault/.exec(resumed.stdout)!;
    expect(Number(counts[2])).toBeGreaterThanOrEqual(2);
    expect(Number(counts[1]) + Number(counts[2])).toBe(
      6 - before.filter((r) => r.state === 'vaulted').length,
    );
    expect(vaultRows(dataDir).map((r) => r.state)).toEqual(Array(6).fill('vaulted'));
    const versions = new Map(
      [...(await versionsOf('resume'))].filter(([key]) => key.startsWith('recordings/')),
    );
    expect(versions.size).toBe(6);
    expect([...versions.values()].every((n) => n === 1)).toBe(true);
  });

  it('a second officer attaches the vault in a new data directory, finds and exports the same recordings, and adds no object', async () => {
    const first = await archivedDataDir('sess_team');
    await recvaultIn(first.dataDir, addArgs('shared'), keysEnv());
    expect((await recvaultIn(first.dataDir, ['vault', 'sync'], keysEnv())).code).toBe(0);
    const before = await versionsOf('shared');

    const second = newDataDir();
    await recvaultIn(second, ['vault', 'status'], keysEnv());
    const attachArgs = addArgs('shared');
    attachArgs[1] = 'attach';
    const attached = await recvaultIn(second, attachArgs, keysEnv());
    expect(attached.stderr).toBe('');
    expect(attached.code).toBe(0);

    const found = await recvaultIn(second, ['search', 'sess_team', '--json'], keysEnv());
    const rows = (
      JSON.parse(found.stdout) as { rows: { id: number; remoteId: string; state: string }[] }
    ).rows;
    expect(rows.map((r) => r.state)).toEqual(['archived', 'archived', 'archived']);
    const theirs = new Map(
      queryIndex<{ remote_id: string; sha256: string }>(
        first.dataDir,
        'SELECT remote_id, sha256 FROM recordings',
      ).map((r) => [r.remote_id, r.sha256] as const),
    );
    const mine = queryIndex<{ remote_id: string; sha256: string }>(
      second,
      'SELECT remote_id, sha256 FROM recordings',
    );
    expect(mine.map((r) => [r.remote_id, r.sha256]).sort()).toEqual([...theirs.entries()].sort());

    const out = path.join(tempDir(), 'export');
    const exported = await recvaultIn(
      second,
      ['export', '--out', out, ...rows.map((r) => String(r.id))],
      keysEnv(),
    );
    expect(exported.code).toBe(0);
    const sums = fs.readFileSync(path.join(out, 'SHA256SUMS'), 'utf8');
    for (const sha of theirs.values()) expect(sums).toContain(sha);

    // The second officer's sync finds every object in place: the vault has no new version.
    const synced = await recvaultIn(second, ['vault', 'sync'], keysEnv());
    expect(synced.stdout).toMatch(/^0 object\(s\) uploaded/m);
    const after = await versionsOf('shared');
    for (const [key, n] of after)
      if (key.startsWith('recordings/')) expect([key, n]).toEqual([key, before.get(key)]);
  });

  it('disposal of a recording the vault keeps under compliance retention is refused until its retain-until, and the queue says so', async () => {
    const fake = await startFakeKallglot({
      sessions: [
        dualChannelSession('sess_old', {
          createdAt: new Date(Date.now() - 10 * DAY).toISOString(),
        }),
      ],
    });
    const engine = await openTestEngine({ KALLGLOT_KEY: fake.apiKey });
    const account = engine.accounts.add(
      'kallglot',
      { name: 'Old', baseUrl: fake.baseUrl },
      { secretEnv: 'KALLGLOT_KEY' },
    );
    await engine.jobs.wait(
      engine.jobs.start(account.id, {
        sessions: [{ id: 'sess_old' }],
        recordingIds: [],
        callIds: [],
      }).id,
    );
    const dataDir = engine.paths.dataDir;
    await engine.close();
    await fake.close();
    expect((await recvaultIn(dataDir, ['retention', 'set', '--keep', '2d'], keysEnv())).code).toBe(
      0,
    );
    const before = await recvaultIn(dataDir, ['dispose', '--dry-run'], keysEnv());
    expect(before.stdout).toMatch(/3 recording\(s\) eligible/);

    await recvaultIn(dataDir, addArgs('team', ['--prefix', 'disposal']), keysEnv());
    expect((await recvaultIn(dataDir, ['vault', 'sync'], keysEnv())).code).toBe(0);
    const until = new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10);
    const locked = await recvaultIn(dataDir, ['dispose', '--dry-run'], keysEnv());
    expect(locked.stdout).toMatch(/0 recording\(s\) eligible/);
    expect(
      locked.stdout.match(/the team vault keeps it under compliance retention until (\S+)/g),
    ).toHaveLength(3);
    expect(locked.stdout).toContain(`until ${until}`);
    const confirmed = await recvaultIn(dataDir, ['dispose', '--confirm'], keysEnv());
    expect(confirmed.stdout).toContain('Nothing is eligible for disposal.');
    const archived = queryIndex<{ n: number }>(
      dataDir,
      `SELECT count(*) AS n FROM recordings WHERE state = 'archived'`,
    );
    expect(archived[0]!.n).toBe(3);
  });
});
