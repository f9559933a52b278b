import fs from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand, GetObjectRetentionCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeS3Client } from '../../../main/core/vault/client.ts';
import { fileDigests } from '../../../main/core/vault/hashes.ts';
import { headObject } from '../../../main/core/vault/head-object.ts';
import { KeyPresence } from '../../../main/core/vault/key-presence.ts';
import { MULTIPART_THRESHOLD, putLockedFile } from '../../../main/core/vault/put-object.ts';
import { createHash } from 'node:crypto';
import { markArchived, upsertDiscovered } from '../../../main/core/db/recordings.ts';
import {
  requeueVaultItem,
  vaultedItems,
  type VaultTargetRow,
} from '../../../main/core/db/vault.ts';
import { drainQueue, enqueueMissing } from '../../../main/core/vault/upload-queue.ts';
import { kallglotAccount, kallglotRecording, tempIndex } from '../../support/index-fixtures.ts';
import { startCephS3, type CephS3 } from '../../support/ceph-s3.ts';
import { queryIndex } from '../../support/data-dir.ts';
import { archivedKallglotSession } from '../../support/engine.ts';
import { tempDir } from '../../support/tmp.ts';
import { recvaultIn } from '../custody/cli-run.ts';

// The vault's one-read upload path on a real Ceph RGW: the store itself refuses bytes that do
// not have the index's SHA-256 (signed payload hash), a multipart file is completed only with
// the right whole-file SHA-256, and the queue PUTs without a HEAD only what a listing shows
// absent.
let ceph: CephS3;
let s3: S3Client;
const BUCKET = 'onepass';
const DAY = 86_400_000;
const lock = () => ({
  mode: 'COMPLIANCE' as const,
  retainUntil: new Date(Date.now() + DAY),
  legalHold: false,
});

beforeAll(async () => {
  ceph = await startCephS3();
  s3 = makeS3Client({ ...ceph });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, ObjectLockEnabledForBucket: true }));
}, 240_000);

afterAll(async () => {
  s3?.destroy();
  await ceph?.stop();
}, 60_000);

function fileOf(size: number, fill: number): string {
  const file = path.join(tempDir(), `f-${size}-${fill}.wav`);
  const chunk = Buffer.alloc(Math.min(size, 1024 * 1024), fill);
  const fd = fs.openSync(file, 'w');
  for (let done = 0; done < size; done += chunk.length) {
    fs.writeSync(fd, chunk, 0, Math.min(chunk.length, size - done));
  }
  fs.closeSync(fd);
  return file;
}

describe('the vault upload path on Ceph RGW', () => {
  it('a file whose bytes are not the SHA-256 the index names is refused by the store, and nothing is kept', async () => {
    const file = fileOf(3_000_000, 7);
    const right = (await fileDigests(file)).sha256;
    await expect(
      putLockedFile(s3, {
        bucket: BUCKET,
        key: 'r/wrong/media.wav',
        file,
        sha256: 'a'.repeat(64),
        contentType: 'audio/wav',
        lock: lock(),
      }),
    ).rejects.toMatchObject({ name: 'XAmzContentSHA256Mismatch' });
    expect(await headObject(s3, BUCKET, 'r/wrong/media.wav')).toBeNull();

    const put = await putLockedFile(s3, {
      bucket: BUCKET,
      key: 'r/right/media.wav',
      file,
      sha256: right,
      contentType: 'audio/wav',
      lock: lock(),
    });
    expect(put).toMatchObject({ sha256: right, size: 3_000_000 });
    expect(await headObject(s3, BUCKET, 'r/right/media.wav')).toMatchObject({
      sha256: right,
      size: 3_000_000,
      versionId: put.versionId,
      lockMode: 'COMPLIANCE',
    });
  });

  it('a multipart file is completed only when its whole SHA-256 is the expected one', async () => {
    const file = fileOf(MULTIPART_THRESHOLD + 3 * 1024 * 1024, 9);
    const right = (await fileDigests(file)).sha256;
    await expect(
      putLockedFile(s3, {
        bucket: BUCKET,
        key: 'r/big-wrong/media.wav',
        file,
        sha256: 'b'.repeat(64),
        contentType: 'audio/wav',
        lock: lock(),
      }),
    ).rejects.toThrow(/does not have the SHA-256 it should .* the upload was abandoned/);
    expect(await headObject(s3, BUCKET, 'r/big-wrong/media.wav')).toBeNull();

    await putLockedFile(s3, {
      bucket: BUCKET,
      key: 'r/big/media.wav',
      file,
      sha256: right,
      contentType: 'audio/wav',
      lock: lock(),
    });
    expect(await headObject(s3, BUCKET, 'r/big/media.wav')).toMatchObject({ sha256: right });
    const retention = await s3.send(
      new GetObjectRetentionCommand({ Bucket: BUCKET, Key: 'r/big/media.wav' }),
    );
    expect(retention.Retention?.Mode).toBe('COMPLIANCE');
  }, 120_000);

  it('one listing tells which keys are certainly absent', async () => {
    const presence = new KeyPresence(s3, BUCKET);
    expect(await presence.mayExist('r/right/media.wav', 'r/')).toBe(true);
    expect(await presence.mayExist('r/never/media.wav', 'r/')).toBe(false);
  });

  it('an archived file changed after archiving is not vaulted: the sync names it and the row stays unvaulted', async () => {
    const archived = await archivedKallglotSession('sess_changed');
    const dataDir = archived.engine.paths.dataDir;
    await archived.close();
    const [changed] = queryIndex<{ id: number; local_path: string }>(
      dataDir,
      `SELECT id, local_path FROM recordings ORDER BY id LIMIT 1`,
    );
    const local = path.join(dataDir, 'archive', changed!.local_path);
    const bytes = fs.readFileSync(local);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    fs.writeFileSync(local, bytes);
    const env = { PATH: process.env.PATH, S3_AK: ceph.accessKeyId, S3_SK: ceph.secretAccessKey };
    const added = await recvaultIn(
      dataDir,
      [
        'vault',
        'add',
        's3',
        '--endpoint',
        ceph.endpoint,
        '--bucket',
        BUCKET,
        '--prefix',
        'changed',
        '--access-key-env',
        'S3_AK',
        '--secret-key-env',
        'S3_SK',
        '--mode',
        'compliance',
        '--retain-days',
        '1',
      ],
      env,
    );
    expect(added.code).toBe(0);
    const synced = await recvaultIn(dataDir, ['vault', 'sync'], env);
    expect(synced.code).toBe(1);
    expect(synced.stdout).toMatch(/5 object\(s\) uploaded, 0 already in the vault, 1 failed/);
    expect(synced.stdout).toContain(
      `The archived file ${changed!.local_path} no longer matches the index`,
    );
    const rows = queryIndex<{ state: string; object_key: string }>(
      dataDir,
      `SELECT state, object_key FROM vault_items WHERE item = ?`,
      `media:${changed!.id}`,
    );
    expect(rows[0]!.state).toBe('failed');
    expect(await headObject(s3, BUCKET, rows[0]!.object_key)).toBeNull();
  });
  it('a first upload PUTs without a HEAD before; a resumed one HEADs what the listing shows and writes nothing', async () => {
    const index = tempIndex();
    try {
      const archiveDir = path.join(index.dir, 'archive');
      const accountId = kallglotAccount(index.db);
      for (const n of [1, 2, 3]) {
        const bytes = Buffer.from(`recording ${n}, as archived`);
        fs.mkdirSync(path.join(archiveDir, 'k'), { recursive: true });
        fs.writeFileSync(path.join(archiveDir, 'k', `r${n}.wav`), bytes);
        fs.writeFileSync(path.join(archiveDir, 'k', `r${n}.wav.json`), `{"sidecar":${n}}\n`);
        const { recording } = upsertDiscovered(
          index.db,
          accountId,
          kallglotRecording({ remoteId: `rec_presence_${n}` }),
        );
        markArchived(index.db, recording.id, {
          localPath: `k/r${n}.wav`,
          localSize: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          archivedAt: new Date(),
        });
      }
      const client = makeS3Client({ ...ceph });
      const calls: string[] = [];
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const input = args.input as { Key?: string; Prefix?: string };
          calls.push(`${context.commandName!.replace('Command', '')} ${input.Key ?? input.Prefix}`);
          return next(args);
        },
        { step: 'initialize', name: 'countRequests' },
      );
      const target: VaultTargetRow = {
        kind: 's3',
        endpoint: ceph.endpoint,
        bucket: BUCKET,
        region: ceph.region,
        prefix: 'presence/',
        accessKeyRef: 'env:A',
        secretKeyRef: 'env:B',
        mode: 'compliance',
        retainDays: 1,
        attached: false,
        addedAt: new Date().toISOString(),
      };
      const deps = {
        db: index.db,
        s3: client,
        target,
        archiveDir,
        dataDir: index.dir,
        isHeld: () => false,
        retainUntil: (_: number | null, now: Date) => new Date(now.getTime() + DAY),
      };
      enqueueMissing(deps);
      const first = await drainQueue(deps);
      expect(first).toMatchObject({ uploaded: 6, alreadyThere: 0, failed: [] });
      const keys = vaultedItems(index.db, null).map((item) => item.objectKey);
      expect(keys).toHaveLength(6);
      for (const key of keys) {
        expect([key, calls.filter((c) => c.endsWith(` ${key}`))]).toEqual([
          key,
          [`PutObject ${key}`, `HeadObject ${key}`],
        ]);
      }
      expect(calls.filter((c) => c.startsWith('ListObjectsV2'))).toHaveLength(1);

      // As after a crash between the PUTs and the rows: the listing shows them, HEAD, no PUT.
      for (const item of vaultedItems(index.db, null)) {
        requeueVaultItem(index.db, item.item, 'as if never recorded');
      }
      calls.length = 0;
      const resumed = await drainQueue(deps);
      expect(resumed).toMatchObject({ uploaded: 0, alreadyThere: 6, failed: [] });
      expect(calls.filter((c) => c.startsWith('PutObject '))).toEqual([]);
      expect(calls.filter((c) => c.startsWith('HeadObject'))).toHaveLength(6);
      client.destroy();
    } finally {
      index.cleanup();
    }
  });
});
