import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CreateBucketCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../../main/core/engine.ts';
import { CLI_ENGINE_OPTIONS } from '../../../main/cli/engine-options.ts';
import { makeS3Client } from '../../../main/core/vault/client.ts';
import { listKeys } from '../../../main/core/vault/verify.ts';
import { startCephS3, type CephS3 } from '../../support/ceph-s3.ts';
import { queryIndex } from '../../support/data-dir.ts';
import { archivedKallglotSession } from '../../support/engine.ts';
import { makeTempDir, removeDir } from '../../support/tmp.ts';
import { recvaultIn } from '../custody/cli-run.ts';

// A second officer attaches the team vault on a real Ceph RGW: the index is built from the day
// bundles with no media downloaded (the laptop keeps its index and offline copies on demand),
// every recording still searches, plays, verifies and reindexes; --copy-media copies them all.
// A counting proxy in front of the radosgw shows which objects each command asks for.
const BUCKET = 'attachteam';
let ceph: CephS3;
let s3: S3Client;
let proxy: http.Server;
let endpoint: string;
const requests: { method: string; key: string }[] = [];

beforeAll(async () => {
  ceph = await startCephS3();
  s3 = makeS3Client({ ...ceph });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, ObjectLockEnabledForBucket: true }));
  const upstream = new URL(ceph.endpoint);
  // Headers (Host included) go through as signed; only the socket changes.
  proxy = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    requests.push({
      method: req.method!,
      key: decodeURIComponent(url.pathname.replace(`/${BUCKET}/`, '')),
    });
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 240_000);

afterAll(async () => {
  s3?.destroy();
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  await ceph?.stop();
}, 60_000);

function keysEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, S3_AK: ceph.accessKeyId, S3_SK: ceph.secretAccessKey };
}

function vaultArgs(verb: 'add' | 'attach', ...extra: string[]): string[] {
  return [
    'vault',
    verb,
    's3',
    '--endpoint',
    endpoint,
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
    ...extra,
  ];
}

interface Indexed {
  id: number;
  remote_id: string;
  local_path: string;
  sha256: string;
  state: string;
}

function indexed(dataDir: string): Indexed[] {
  return queryIndex<Indexed>(
    dataDir,
    'SELECT id, remote_id, local_path, sha256, state FROM recordings ORDER BY remote_id',
  );
}

function archiveFile(dataDir: string, localPath: string): string {
  return path.join(dataDir, 'archive', ...localPath.split('/'));
}

/** Every file under the data directory's archive, relative, sorted. */
function archiveFiles(dataDir: string): string[] {
  const root = path.join(dataDir, 'archive');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((name) => fs.statSync(path.join(root, name)).isFile())
    .sort();
}

async function versions(): Promise<Map<string, number>> {
  const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET }));
  const counts = new Map<string, number>();
  for (const v of listed.Versions ?? []) counts.set(v.Key!, (counts.get(v.Key!) ?? 0) + 1);
  return counts;
}

/** What the requests since `from` asked of the bucket's recordings and day bundles. */
function asked(from: number) {
  const since = requests.slice(from);
  return {
    recordingObjects: since.filter((r) => r.key.startsWith('recordings/')),
    bundleGets: since.filter((r) => r.method === 'GET' && r.key.startsWith('index/')),
    writes: since.filter((r) => r.method === 'PUT' || r.method === 'POST'),
  };
}

describe('a second officer attaches the team vault without downloading its media', () => {
  let kept: string;
  let first: string;
  let second: string;
  let attachOut: string;
  let attachAsked: ReturnType<typeof asked>;
  let bundles: string[];

  beforeAll(async () => {
    kept = await makeTempDir('vault-attach');
    const archived = await archivedKallglotSession('sess_attach');
    const made = archived.engine.paths.dataDir;
    await archived.close();
    first = path.join(kept, 'first');
    fs.cpSync(made, first, { recursive: true });
    expect((await recvaultIn(first, vaultArgs('add'), keysEnv())).code).toBe(0);
    expect((await recvaultIn(first, ['vault', 'sync'], keysEnv())).code).toBe(0);
    bundles = await listKeys(s3, BUCKET, 'index/');

    second = path.join(kept, 'second');
    const from = requests.length;
    const attached = await recvaultIn(second, vaultArgs('attach'), keysEnv());
    expect(attached.stderr).toBe('');
    expect(attached.code).toBe(0);
    attachOut = attached.stdout;
    attachAsked = asked(from);
  }, 180_000);

  afterAll(() => removeDir(kept));

  it('creates one index row per recording and no file in the archive, reading only the day bundles', () => {
    const theirs = indexed(first);
    expect(theirs).toHaveLength(3);
    const mine = indexed(second);
    expect(mine.map((r) => [r.remote_id, r.local_path, r.sha256, r.state])).toEqual(
      theirs.map((r) => [r.remote_id, r.local_path, r.sha256, 'archived']),
    );
    expect(archiveFiles(second)).toEqual([]);
    // One GET per day bundle; no recording object read, HEAD-ed or written.
    expect(bundles.length).toBeGreaterThanOrEqual(1);
    expect(attachAsked.bundleGets).toHaveLength(bundles.length);
    expect(attachAsked.recordingObjects).toEqual([]);
    expect(attachAsked.writes.filter((w) => w.key.startsWith('index/'))).toEqual([]);
    expect(attachOut).toContain('indexed from the vault; the media stays there');
    // The queue knows both objects of each recording are in the store (from the bundles).
    const items = queryIndex<{ kind: string; state: string }>(
      second,
      `SELECT kind, state FROM vault_items WHERE kind IN ('media', 'sidecar')`,
    );
    expect(items).toHaveLength(6);
    expect(items.every((i) => i.state === 'vaulted')).toBe(true);
    // The audit log says the index came from the vault, and how.
    const audit = queryIndex<{ details_json: string }>(
      second,
      `SELECT details_json FROM audit_log WHERE action = 'index.rebuilt' AND subject = 'vault'`,
    );
    expect(audit.map((a) => JSON.parse(a.details_json) as unknown)).toEqual([
      {
        bucket: BUCKET,
        prefix: '',
        bundles: bundles.length,
        sidecarsRead: 0,
        indexed: 3,
        mediaCopied: 0,
        problems: 0,
      },
    ]);
  });

  it('finds every recording by search at once', async () => {
    const found = await recvaultIn(second, ['search', 'sess_attach', '--json'], keysEnv());
    expect(found.code).toBe(0);
    const rows = (JSON.parse(found.stdout) as { rows: { remoteId: string; state: string }[] }).rows;
    expect(rows.map((r) => r.remoteId).sort()).toEqual(indexed(first).map((r) => r.remote_id));
  });

  it('plays one by Range from the vault and keeps no copy', async () => {
    const row = indexed(second)[0]!;
    const local = fs.readFileSync(archiveFile(first, row.local_path));
    const engine = await openEngine({ dataDir: second, ...CLI_ENGINE_OPTIONS, env: keysEnv() });
    try {
      expect((await engine.media.media(row.id)).copy).toBe('vault');
      const served = await engine.media.serve(row.id, 'GET', 'bytes=100-4195');
      expect(served.status).toBe(206);
      const chunks: Buffer[] = [];
      for await (const chunk of served.body!) chunks.push(Buffer.from(chunk as Uint8Array));
      expect(Buffer.concat(chunks).equals(local.subarray(100, 4196))).toBe(true);
    } finally {
      await engine.close();
    }
    expect(archiveFiles(second)).toEqual([]);
  });

  it('verifies (exit 0) saying how many are kept in the team vault only, and reindex keeps the rows', async () => {
    const verified = await recvaultIn(second, ['verify'], keysEnv());
    expect(verified.stdout).toContain('3 recording(s) kept in the team vault only');
    expect(verified.code).toBe(0);
    const before = indexed(second);
    const reindexed = await recvaultIn(second, ['reindex'], keysEnv());
    expect(reindexed.code).toBe(0);
    expect(indexed(second)).toEqual(before);
  });

  it('a later vault sync in the attached directory uploads nothing and reads no local file', async () => {
    const before = await versions();
    const from = requests.length;
    const synced = await recvaultIn(second, ['vault', 'sync'], keysEnv());
    expect(synced.code).toBe(0);
    expect(synced.stdout).toMatch(/^0 object\(s\) uploaded, 0 already in the vault, 0 failed/m);
    expect(asked(from).recordingObjects).toEqual([]);
    expect(await versions()).toEqual(before);

    // An object queued again (as vault verify does) with no local file: found in the store by
    // its SHA-256, never read from disk nor written again.
    const media = queryIndex<{ item: string }>(
      second,
      `SELECT item FROM vault_items WHERE kind = 'media' ORDER BY item LIMIT 1`,
    )[0]!.item;
    const db = new Database(path.join(second, 'index.sqlite'));
    db.prepare(`UPDATE vault_items SET state = 'queued' WHERE item = ?`).run(media);
    db.close();
    const resynced = await recvaultIn(second, ['vault', 'sync'], keysEnv());
    expect(resynced.stdout).toMatch(/^0 object\(s\) uploaded, 1 already in the vault, 0 failed/m);
    expect(resynced.code).toBe(0);
    expect(await versions()).toEqual(before);
  });

  it('vault fetch makes one local, byte-identical; reindex accepts its sidecar once the copy is removed again', async () => {
    const row = indexed(second)[0]!;
    const fetched = await recvaultIn(
      second,
      ['vault', 'fetch', '--recording', String(row.id)],
      keysEnv(),
    );
    expect(fetched.code).toBe(0);
    const copy = fs.readFileSync(archiveFile(second, row.local_path));
    expect(copy.equals(fs.readFileSync(archiveFile(first, row.local_path)))).toBe(true);
    expect(archiveFiles(second).filter((f) => !f.endsWith('.json'))).toHaveLength(1);

    // The officer frees the disk: the sidecar stays, the vault still holds the bytes.
    fs.rmSync(archiveFile(second, row.local_path));
    const before = indexed(second);
    const reindexed = await recvaultIn(second, ['reindex'], keysEnv());
    expect(reindexed.stdout).toContain('1 of 1 sidecars indexed.');
    expect(reindexed.stdout).toContain('1 of them kept in the team vault only');
    expect(reindexed.code).toBe(0);
    expect(indexed(second)).toEqual(before);
  });

  it('--copy-media copies every recording byte-identical into a new data directory', async () => {
    const third = path.join(kept, 'third');
    const attached = await recvaultIn(third, vaultArgs('attach', '--copy-media'), keysEnv());
    expect(attached.stderr).toBe('');
    expect(attached.code).toBe(0);
    expect(attached.stdout).toContain('indexed and copied into this archive');
    const rows = indexed(third);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const mine = fs.readFileSync(archiveFile(third, row.local_path));
      expect(mine.equals(fs.readFileSync(archiveFile(first, row.local_path)))).toBe(true);
    }
    expect(archiveFiles(third).filter((f) => !f.endsWith('.json'))).toHaveLength(3);
    const verified = await recvaultIn(third, ['verify'], keysEnv());
    expect(verified.stdout).toContain('3 archived files checked: 3 intact.');
    expect(verified.code).toBe(0);
  });

  it('refuses --copy-media on vault add', async () => {
    const refused = await recvaultIn(
      path.join(kept, 'fourth'),
      vaultArgs('add', '--copy-media'),
      keysEnv(),
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--copy-media is for recvault vault attach s3 only.');
  });
});
