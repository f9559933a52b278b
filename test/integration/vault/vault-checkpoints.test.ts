import fs from 'node:fs';
import path from 'node:path';
import {
  CreateBucketCommand,
  GetObjectRetentionCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointsDir } from '../../../main/core/custody/checkpoint.ts';
import { keyFileSource } from '../../../main/core/custody/signing-key.ts';
import { makeS3Client } from '../../../main/core/vault/client.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { startCephS3, type CephS3 } from '../../support/ceph-s3.ts';
import { queryIndex } from '../../support/data-dir.ts';
import { newDataDir, openTestEngine } from '../../support/engine.ts';
import { openAppEngine, request, RequestRefused } from '../../support/handlers.ts';
import { localKeyCipher } from '../../../main/core/secrets/local-key-cipher.ts';
import { tempDir } from '../../support/tmp.ts';
import { recvaultIn } from '../custody/cli-run.ts';

// A sync sends its recordings and its signed checkpoint to the vault by itself; the vault's
// locked copies are the anchor `audit verify --vault` holds the local chain to.
let ceph: CephS3;
let s3: S3Client;
let fake: FakeKallglot;

beforeAll(async () => {
  ceph = await startCephS3();
  s3 = makeS3Client({ ...ceph });
  await s3.send(new CreateBucketCommand({ Bucket: 'anchor', ObjectLockEnabledForBucket: true }));
  fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_C1')] });
}, 240_000);

afterAll(async () => {
  s3?.destroy();
  await fake?.close();
  await ceph?.stop();
}, 60_000);

describe('checkpoints in the vault', () => {
  it('a sync vaults its recordings and checkpoint under retention; audit verify --vault names a rewritten one', async () => {
    const keyFile = path.join(tempDir(), 'signing-key.pem');
    keyFileSource(keyFile).create();
    const dataDir = newDataDir();
    const env = { KALLGLOT_KEY: fake.apiKey, S3_AK: ceph.accessKeyId, S3_SK: ceph.secretAccessKey };
    const engine = await openTestEngine(env, { dataDir, signingKey: keyFileSource(keyFile) });
    await request(engine, 'vaultAddWithEnvKeys', {
      endpoint: ceph.endpoint,
      bucket: 'anchor',
      accessKeyEnv: 'S3_AK',
      secretKeyEnv: 'S3_SK',
      mode: 'compliance',
      retainDays: 7,
    });
    const account = engine.accounts.add(
      'kallglot',
      { name: 'Desk', baseUrl: fake.baseUrl },
      { secretEnv: 'KALLGLOT_KEY' },
    );
    const job = engine.jobs.start(account.id, {
      sessions: [{ id: 'sess_C1' }],
      recordingIds: [],
      callIds: [],
    });
    await engine.jobs.wait(job.id);
    await engine.close();

    const states = queryIndex<{ kind: string; state: string }>(
      dataDir,
      'SELECT kind, state FROM vault_items ORDER BY item',
    );
    expect(states.filter((s) => s.kind !== 'checkpoint')).toHaveLength(6);
    expect(states.every((s) => s.state === 'vaulted')).toBe(true);
    const local = fs.readdirSync(checkpointsDir(dataDir)).sort();
    const checkpoint = local.find((name) => /^\d{6}-.*\.json$/.test(name))!;
    expect(checkpoint).toBeDefined();
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: 'anchor', Prefix: 'checkpoints/' }),
    );
    expect((listed.Contents ?? []).map((o) => o.Key!.slice('checkpoints/'.length)).sort()).toEqual(
      local,
    );
    const retention = await s3.send(
      new GetObjectRetentionCommand({ Bucket: 'anchor', Key: `checkpoints/${checkpoint}` }),
    );
    expect(retention.Retention?.Mode).toBe('COMPLIANCE');

    const agreed = await recvaultIn(dataDir, ['audit', 'verify', '--vault'], env);
    expect(agreed.stdout).toContain(
      `The local checkpoints agree with the vault: ${local.length} file(s) equal.`,
    );
    expect(agreed.code).toBe(0);

    const file = path.join(checkpointsDir(dataDir), checkpoint);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"seq"', '"seq" '));
    const caught = await recvaultIn(dataDir, ['audit', 'verify', '--vault'], env);
    expect(caught.code).toBe(1);
    expect(caught.stdout).toContain(`differs       ${checkpoint}`);
    fs.rmSync(file);
    const lost = await recvaultIn(dataDir, ['audit', 'verify', '--vault'], env);
    expect(lost.stdout).toContain(`only-in-vault ${checkpoint}`);
  });

  it("the app keeps the vault's keys in its keychain: in no file of the data directory, refused keys not kept", async () => {
    const cipher = localKeyCipher(path.join(tempDir(), 'keychain.key'));
    const engine = await openAppEngine({}, { platform: { cipher } });
    const dataDir = engine.paths.dataDir;
    const target = {
      endpoint: ceph.endpoint,
      bucket: 'anchor',
      mode: 'governance' as const,
      retainDays: 1,
      accessKey: ceph.accessKeyId,
    };
    const wrong = request(engine, 'vaultAdd', { ...target, secretKey: 'not-the-secret-key' });
    await expect(wrong).rejects.toBeInstanceOf(RequestRefused);
    await expect(wrong).rejects.toThrow(
      /The vault was not added: The store refused the keys \(HTTP 403\)/,
    );
    const status = await request(engine, 'vaultAdd', {
      ...target,
      secretKey: ceph.secretAccessKey,
    });
    expect(status.target?.keys).toEqual({ source: 'encrypted' });
    expect((await request(engine, 'vaultTest', {})).ok).toBe(true);
    await engine.close();
    const everything = fs
      .readdirSync(dataDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name)).toString('latin1'))
      .join('\n');
    for (const secret of [ceph.secretAccessKey, ceph.accessKeyId, 'not-the-secret-key']) {
      expect(everything.includes(secret), secret.slice(0, 4)).toBe(false);
    }
    // Two references: the two keys that were kept; the refused pair was forgotten.
    const secrets = JSON.parse(
      fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8'),
    ) as object;
    expect(Object.keys(secrets)).toHaveLength(2);
  });
});
