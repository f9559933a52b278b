// Bench: team-vault upload throughput on a real Ceph RGW (test/support/ceph/, bluestore):
// 1,000 × 3 MB files and one 2 GiB file, each uploaded by the vault queue's own path (one
// listing per folder instead of a HEAD per object; one read of each file, its MD5 as
// Content-MD5 and the index's SHA-256 as the signed payload hash the store recomputes and in
// metadata, COMPLIANCE retention; multipart hashed in order, then retention and a HEAD) against
// `rclone copy` and `aws s3 cp --recursive` (when installed) with the same concurrency, into
// plain buckets and into Object Lock buckets like the vault's (versioned: RGW writes each
// object's version index too), setting no retention and checking nothing afterwards.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { makeS3Client } from '../main/core/vault/client.ts';
import { fileDigests } from '../main/core/vault/hashes.ts';
import { KeyPresence } from '../main/core/vault/key-presence.ts';
import { folderOfKey } from '../main/core/vault/keys.ts';
import { putLockedFile } from '../main/core/vault/put-object.ts';
import { startCephS3, type CephS3 } from '../test/support/ceph-s3.ts';
import { defineBench } from './lib/bench.ts';
import { KNOBS } from './lib/knobs.ts';
import { againstPeer } from './lib/results.ts';
import { runStandalone } from './lib/standalone.ts';
import { expectOk, formatBytes, formatRate, log, runChild } from './lib/util.ts';

const SMALL_COUNT = Number(process.env.BENCH_VAULT_SMALL_COUNT ?? KNOBS.smallCount);
const SMALL_BYTES = Number(process.env.BENCH_VAULT_SMALL_BYTES ?? 3_000_000);
const LARGE_BYTES = Number(process.env.BENCH_VAULT_LARGE_BYTES ?? KNOBS.largeBytes);
const N = KNOBS.concurrency;

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function writeFiles(dir: string, count: number, bytes: number): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `rec-${String(i).padStart(5, '0')}.wav`);
    fs.writeFileSync(file, randomBytes(bytes));
    files.push(file);
  }
  return files;
}

function writeLarge(file: string, bytes: number): void {
  const fd = fs.openSync(file, 'w');
  const chunk = randomBytes(16 * 1024 * 1024);
  for (let done = 0; done < bytes; done += chunk.length) {
    fs.writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - done));
  }
  fs.closeSync(fd);
}

/**
 * The vault queue's upload path for these files, N at a time; ms from the first listing to the
 * last acknowledged PUT. Their SHA-256 comes from the index (taken when they were archived):
 * here it is taken before the clock starts, as the archive did at download time.
 */
async function vaultUpload(
  ceph: CephS3,
  bucket: string,
  files: readonly string[],
  prefix: string,
): Promise<number> {
  const sha256 = new Map<string, string>();
  for (const file of files) sha256.set(file, (await fileDigests(file)).sha256);
  const s3 = makeS3Client({ ...ceph });
  const presence = new KeyPresence(s3, bucket);
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      const key = `${prefix}/${path.basename(file)}`;
      if (await presence.mayExist(key, folderOfKey(key))) throw new Error(`${key}: already there`);
      const stored = await putLockedFile(s3, {
        bucket,
        key,
        file,
        sha256: sha256.get(file)!,
        contentType: 'audio/wav',
        lock: {
          mode: 'COMPLIANCE',
          retainUntil: new Date(Date.now() + 86_400_000),
          legalHold: false,
        },
      });
      if (stored.sha256 !== sha256.get(file)) throw new Error(`${key}: not stored as written`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(N, files.length) }, worker));
  const ms = performance.now() - started;
  s3.destroy();
  return ms;
}

function peerEnv(ceph: CephS3, work: string): NodeJS.ProcessEnv {
  // rclone from environment variables; the AWS CLI from its own config file (concurrency,
  // 16 MiB parts like the vault's, and botocore's newer checksum default off for Pacific).
  const awsConfig = path.join(work, 'aws-config');
  fs.writeFileSync(
    awsConfig,
    `[default]\nregion = ${ceph.region}\nrequest_checksum_calculation = when_required\n` +
      `response_checksum_validation = when_required\ns3 =\n  max_concurrent_requests = ${N}\n` +
      `  multipart_threshold = 64MB\n  multipart_chunksize = 16MB\n  addressing_style = path\n`,
  );
  // Only this run's settings: a CA bundle or profile of the machine's (AWS_CA_BUNDLE breaks
  // rclone's plain-http client) must not reach the peers.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(AWS_|RCLONE_)/.test(name)),
  );
  return {
    ...inherited,
    RCLONE_CONFIG_VAULT_TYPE: 's3',
    RCLONE_CONFIG_VAULT_PROVIDER: 'Ceph',
    RCLONE_CONFIG_VAULT_ENDPOINT: ceph.endpoint,
    RCLONE_CONFIG_VAULT_ACCESS_KEY_ID: ceph.accessKeyId,
    RCLONE_CONFIG_VAULT_SECRET_ACCESS_KEY: ceph.secretAccessKey,
    RCLONE_CONFIG_VAULT_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: ceph.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ceph.secretAccessKey,
    AWS_CONFIG_FILE: awsConfig,
    AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-credentials'),
  };
}

async function rcloneCopy(env: NodeJS.ProcessEnv, dir: string, target: string): Promise<number> {
  const run = await runChild(
    'rclone',
    [
      'copy',
      dir,
      `vault:${target}`,
      '--transfers',
      String(N),
      '--s3-upload-concurrency',
      String(N),
      '--s3-chunk-size',
      '16M',
      '--s3-upload-cutoff',
      '64M',
      '--checkers',
      String(N),
    ],
    { env },
  );
  return expectOk(run, 'rclone copy').ms;
}

async function awsCopy(
  env: NodeJS.ProcessEnv,
  ceph: CephS3,
  dir: string,
  target: string,
): Promise<number> {
  const run = await runChild(
    'aws',
    [
      's3',
      'cp',
      '--recursive',
      '--only-show-errors',
      '--endpoint-url',
      ceph.endpoint,
      dir,
      `s3://${target}`,
    ],
    { env },
  );
  return expectOk(run, 'aws s3 cp').ms;
}

export const { id, run } = defineBench(
  {
    id: 'vault-upload',
    title: `vault upload: ${SMALL_COUNT} × ${formatBytes(SMALL_BYTES)} and one ${formatBytes(LARGE_BYTES)} file into Ceph RGW`,
    skip: () =>
      ['ceph-mon', 'ceph-osd', 'radosgw', 'rclone'].find((c) => !hasCommand(c))
        ? 'needs ceph-mon ceph-osd radosgw ceph-common and rclone (Debian)'
        : null,
  },
  async (work) => {
    const totalGb = Math.ceil(((SMALL_COUNT * SMALL_BYTES + LARGE_BYTES) * 5) / 2 ** 30) + 2;
    process.env.RECVAULT_CEPH_OBJECTSTORE ??= 'bluestore';
    process.env.RECVAULT_CEPH_OSD_GB ??= String(totalGb);
    const ceph = await startCephS3();
    log(`vault-upload: Ceph RGW ready in ${ceph.startMs} ms (${ceph.rssMiB} MiB)`);
    try {
      const s3 = makeS3Client({ ...ceph });
      await s3.send(new CreateBucketCommand({ Bucket: 'vault', ObjectLockEnabledForBucket: true }));
      for (const bucket of ['rclone', 'aws'])
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      for (const bucket of ['rclone-lock', 'aws-lock']) {
        await s3.send(
          new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }),
        );
      }
      s3.destroy();
      const env = peerEnv(ceph, work);
      const aws = hasCommand('aws');
      const small = path.join(work, 'small');
      const files = writeFiles(small, SMALL_COUNT, SMALL_BYTES);
      const largeDir = path.join(work, 'large');
      fs.mkdirSync(largeDir);
      const large = path.join(largeDir, 'large.wav');
      writeLarge(large, LARGE_BYTES);
      const smallTotal = SMALL_COUNT * SMALL_BYTES;
      const rate = (bytes: number) => (ms: number) => formatRate(bytes / (ms / 1000));

      const times = {
        small: {
          recvault: await vaultUpload(ceph, 'vault', files, 'small'),
          rclone: await rcloneCopy(env, small, 'rclone/small'),
          aws: aws ? await awsCopy(env, ceph, small, 'aws/small') : null,
          rcloneLock: await rcloneCopy(env, small, 'rclone-lock/small'),
          awsLock: aws ? await awsCopy(env, ceph, small, 'aws-lock/small') : null,
        },
        large: {
          recvault: await vaultUpload(ceph, 'vault', [large], 'large'),
          rclone: await rcloneCopy(env, largeDir, 'rclone/large'),
          aws: aws ? await awsCopy(env, ceph, largeDir, 'aws/large') : null,
          rcloneLock: await rcloneCopy(env, largeDir, 'rclone-lock/large'),
          awsLock: aws ? await awsCopy(env, ceph, largeDir, 'aws-lock/large') : null,
        },
      };
      const metrics = [];
      for (const [what, bytes, t] of [
        [`${SMALL_COUNT} × ${formatBytes(SMALL_BYTES)}`, smallTotal, times.small],
        [`one ${formatBytes(LARGE_BYTES)}`, LARGE_BYTES, times.large],
      ] as const) {
        const faster = t.aws === null ? t.rclone : Math.min(t.rclone, t.aws);
        metrics.push({
          ...againstPeer(
            `upload ${what}`,
            'rclone copy',
            { recvault: t.recvault, peer: t.rclone },
            rate(bytes),
          ),
          target: '≥ the faster peer',
          met: t.recvault <= faster,
        });
        if (t.aws !== null) {
          metrics.push(
            againstPeer(
              `upload ${what}`,
              'aws s3 cp --recursive',
              { recvault: t.recvault, peer: t.aws },
              rate(bytes),
            ),
          );
        }
        // Like for like: the peers into a bucket with Object Lock (and so versioning) as well.
        const fasterLocked = t.awsLock === null ? t.rcloneLock : Math.min(t.rcloneLock, t.awsLock);
        metrics.push({
          ...againstPeer(
            `upload ${what}, peers into Object Lock buckets`,
            'rclone copy',
            { recvault: t.recvault, peer: t.rcloneLock },
            rate(bytes),
          ),
          target: '≥ the faster peer',
          met: t.recvault <= fasterLocked,
        });
        if (t.awsLock !== null) {
          metrics.push(
            againstPeer(
              `upload ${what}, peers into Object Lock buckets`,
              'aws s3 cp --recursive',
              { recvault: t.recvault, peer: t.awsLock },
              rate(bytes),
            ),
          );
        }
      }
      return {
        metrics,
        notes: [
          `Ceph ${execFileSync('ceph', ['--version']).toString().split(' ')[2]} RGW on 127.0.0.1, one bluestore OSD on a sparse file, started by test/support/ceph/ceph-up.sh in ${ceph.startMs} ms. Concurrency ${N} for all three; ${os.cpus().length} cores.`,
          "Recvault: the vault queue's upload path of core/vault without the index around it: one listing of the folder (KeyPresence) instead of a HEAD per object, each file read once, its MD5 sent as Content-MD5 and the index's SHA-256 as the signed payload hash (x-amz-content-sha256, recomputed and enforced by the store) and in metadata, COMPLIANCE retention on the PUT; above 64 MiB 16 MiB parts hashed in order while read (Content-MD5 each), the whole file's SHA-256 checked before Complete, then PutObjectRetention and a HEAD. The SHA-256s of the files are taken before the clock starts (the index holds them from archiving).",
          `Peers with no retention and no check afterwards, into plain buckets and (second rows) into Object Lock buckets like the vault's: rclone copy --transfers ${N} --s3-chunk-size 16M; aws s3 cp --recursive with max_concurrent_requests ${N}, 16 MB parts${aws ? '' : ' (not installed: skipped)'}.`,
          `Machine load when the bench ended: ${os
            .loadavg()
            .map((n) => n.toFixed(2))
            .join(', ')} (1, 5, 15 min).`,
          `Times (ms): small ${JSON.stringify(times.small)}; large ${JSON.stringify(times.large)}.`,
        ],
      };
    } finally {
      await ceph.stop();
    }
  },
);

if (import.meta.main) await runStandalone(run);
