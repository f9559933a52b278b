import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge } from '../../../main/bridge/server.ts';
import { createMediaSigner } from '../../../main/bridge/media-signer.ts';
import { openEngine } from '../../../main/core/engine.ts';
import { CLI_ENGINE_OPTIONS } from '../../../main/cli/engine-options.ts';
import { makeS3Client } from '../../../main/core/vault/client.ts';
import { startCephS3, type CephS3 } from '../../support/ceph-s3.ts';
import { queryIndex } from '../../support/data-dir.ts';
import { archivedKallglotSession, newDataDir } from '../../support/engine.ts';
import { makeTempDir, removeDir, tempDir } from '../../support/tmp.ts';
import { recvaultIn } from '../custody/cli-run.ts';
import { readDat } from '../production/read-loadfiles.ts';

// A second officer reads the team vault without keeping the recordings: attached, the archive
// has no media file (the index comes from the vault); playback streams the object by Range
// GETs, an offline copy is made on demand, and exports and productions read the objects,
// hash-checked, into the same SHA256SUMS and load files as the first officer's local copy.
let ceph: CephS3;
let s3: S3Client;

beforeAll(async () => {
  ceph = await startCephS3();
  s3 = makeS3Client({ ...ceph });
  for (const bucket of ['readteam', 'forged']) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
  }
}, 240_000);

afterAll(async () => {
  s3?.destroy();
  await ceph?.stop();
}, 60_000);

function keysEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, S3_AK: ceph.accessKeyId, S3_SK: ceph.secretAccessKey };
}

function vaultArgs(verb: 'add' | 'attach', bucket: string): string[] {
  return [
    'vault',
    verb,
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
  ];
}

interface Indexed {
  id: number;
  remote_id: string;
  local_path: string;
  sha256: string;
}

function indexed(dataDir: string): Indexed[] {
  return queryIndex<Indexed>(
    dataDir,
    'SELECT id, remote_id, local_path, sha256 FROM recordings ORDER BY remote_id',
  );
}

function archiveFile(dataDir: string, localPath: string): string {
  return path.join(dataDir, 'archive', ...localPath.split('/'));
}

/**
 * The first officer's data directory, synced into `bucket`; and a second one attached to it,
 * which keeps no media file (attach builds only the index, from the day bundles).
 */
async function twoOfficers(session: string, bucket: string) {
  const archived = await archivedKallglotSession(session);
  const first = archived.engine.paths.dataDir;
  await archived.close();
  expect((await recvaultIn(first, vaultArgs('add', bucket), keysEnv())).code).toBe(0);
  expect((await recvaultIn(first, ['vault', 'sync'], keysEnv())).code).toBe(0);
  const second = newDataDir();
  const attached = await recvaultIn(second, vaultArgs('attach', bucket), keysEnv());
  expect(attached.stderr).toBe('');
  expect(attached.code).toBe(0);
  // Attach reads the day bundles and downloads no media: the archive has no file for any row.
  for (const row of indexed(second))
    expect(fs.existsSync(archiveFile(second, row.local_path))).toBe(false);
  return { first, second };
}

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/**
 * An export's SHA256SUMS lines for the produced files (manifest.json carries its own export id
 * and time, and manifest.csv the local index id, so those two differ between any two exports).
 */
function fileSums(sums: string): string[] {
  return sums
    .trim()
    .split('\n')
    .filter((line) => !/ {2}manifest\.(csv|json)$/.test(line))
    .sort();
}

/** manifest.csv's rows keyed by the provider's id, without the officer's own index id. */
function manifestRows(out: string): Record<string, string>[] {
  const [header, ...lines] = fs
    .readFileSync(path.join(out, 'manifest.csv'), 'utf8')
    .trim()
    .split('\r\n');
  const names = header!.split(',');
  return lines
    .map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i]!, v])))
    .map(({ source_recording_id: _id, ...rest }) => rest)
    .sort((a, b) => a.remote_id!.localeCompare(b.remote_id!));
}

async function exportSums(dataDir: string, ids: number[], extra: string[] = []) {
  const out = path.join(tempDir('recvault-vault-export-'), 'export');
  const exported = await recvaultIn(
    dataDir,
    ['export', '--out', out, ...extra, ...ids.map(String)],
    keysEnv(),
  );
  return { out, exported, sums: () => fs.readFileSync(path.join(out, 'SHA256SUMS'), 'utf8') };
}

describe('a second officer reads the team vault on Ceph RGW', () => {
  let first: string;
  let second: string;

  let kept: string;

  // Made once for the describe: the temp folders of a test are removed after it, so both data
  // directories are kept in a folder of the file's own.
  beforeAll(async () => {
    const made = await twoOfficers('sess_reader', 'readteam');
    kept = await makeTempDir('vault-read');
    first = path.join(kept, 'first');
    second = path.join(kept, 'second');
    fs.cpSync(made.first, first, { recursive: true });
    fs.cpSync(made.second, second, { recursive: true });
  }, 120_000);

  afterAll(() => removeDir(kept));

  it('plays a recording only the vault holds: a Range request through the bridge gets those bytes from the object, and nothing is copied', async () => {
    const signer = createMediaSigner();
    const engine = await openEngine({
      dataDir: second,
      ...CLI_ENGINE_OPTIONS,
      env: keysEnv(),
      platform: { cipher: null, mediaUrl: signer.url },
    });
    const rendererDir = tempDir('recvault-renderer-');
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>R</title>');
    const bridge = await startBridge({ engine, media: signer, rendererDir });
    try {
      const theirs = new Map(indexed(first).map((r) => [r.remote_id, r] as const));
      const mine = indexed(second);
      expect(mine.map((r) => r.remote_id)).toEqual([...theirs.keys()].sort());
      for (const row of mine) {
        const local = fs.readFileSync(archiveFile(first, theirs.get(row.remote_id)!.local_path));
        const media = await engine.media.media(row.id);
        expect(media.copy).toBe('vault');
        const url = `${bridge.origin}${media.url}`;
        const start = Math.floor(local.length / 3);
        const end = start + 4095;
        const middle = await get(url, { Range: `bytes=${start}-${end}` });
        expect(middle.status).toBe(206);
        expect(middle.headers['content-range']).toBe(`bytes ${start}-${end}/${local.length}`);
        expect(middle.body.equals(local.subarray(start, end + 1))).toBe(true);
        const whole = await get(url);
        expect(whole.status).toBe(200);
        expect(whole.body.equals(local)).toBe(true);
        // Streamed, not kept: the archive still has no file for it.
        expect(fs.existsSync(archiveFile(second, row.local_path))).toBe(false);
      }
    } finally {
      await bridge.close();
      await engine.close();
    }
  });

  it('exports from the vault with the same SHA256SUMS as the first officer, and keeps no copy', async () => {
    const mine = indexed(second);
    const fromVault = await exportSums(
      second,
      mine.map((r) => r.id),
    );
    expect(fromVault.exported.stderr).toBe('');
    expect(fromVault.exported.code).toBe(0);
    const fromLocal = await exportSums(
      first,
      indexed(first).map((r) => r.id),
    );
    expect(fromLocal.exported.code).toBe(0);
    expect(fileSums(fromVault.sums())).toEqual(fileSums(fromLocal.sums()));
    expect(fileSums(fromVault.sums())).toHaveLength(3);
    expect(manifestRows(fromVault.out)).toEqual(manifestRows(fromLocal.out));
    for (const row of mine) expect(fs.existsSync(archiveFile(second, row.local_path))).toBe(false);
    expect(fs.readdirSync(path.join(second, 'cache', 'vault-staging'))).toEqual([]);
  });

  it('makes a production from the vault with the same load file as from the local copy', async () => {
    const flags = ['--load-file', 'dat', '--control-prefix', 'TEAM-'];
    const fromVault = await exportSums(
      second,
      indexed(second).map((r) => r.id),
      flags,
    );
    expect(fromVault.exported.stderr).toBe('');
    expect(fromVault.exported.code).toBe(0);
    expect(fromVault.exported.stdout).toMatch(/Production TEAM-00000001–TEAM-00000003/);
    const fromLocal = await exportSums(
      first,
      indexed(first).map((r) => r.id),
      flags,
    );
    expect(fileSums(fromVault.sums())).toEqual(fileSums(fromLocal.sums()));
    // Control numbers follow each officer's index ids; every other fact of a file is the same.
    const rows = (out: string) =>
      readDat(fs.readFileSync(path.join(out, 'loadfile.dat')))
        .rows.map(
          ({ 'Control Number': _c, 'Recvault ID': _id, 'Native Path': _p, ...rest }) => rest,
        )
        .sort((a, b) => a['Recording ID']!.localeCompare(b['Recording ID']!));
    expect(rows(fromVault.out)).toEqual(rows(fromLocal.out));
    expect(rows(fromVault.out)).toHaveLength(3);
  });

  it('keeps an offline copy on demand: byte-identical, audited, verified, then played locally', async () => {
    const row = indexed(second)[0]!;
    const theirs = indexed(first).find((r) => r.remote_id === row.remote_id)!;
    const fetched = await recvaultIn(
      second,
      ['vault', 'fetch', '--recording', String(row.id)],
      keysEnv(),
    );
    expect(fetched.stderr).toBe('');
    expect(fetched.code).toBe(0);
    expect(fetched.stdout).toContain(`copied  ${row.remote_id}:`);
    const copy = fs.readFileSync(archiveFile(second, row.local_path));
    expect(copy.equals(fs.readFileSync(archiveFile(first, theirs.local_path)))).toBe(true);
    const audit = queryIndex<{ action: string; details_json: string }>(
      second,
      `SELECT action, details_json FROM audit_log WHERE subject = ?`,
      `recording:${row.id}`,
    );
    const entry = audit.find((a) => a.action === 'recording.copied_from_vault');
    expect(JSON.parse(entry!.details_json)).toMatchObject({ sha256: row.sha256 });

    const again = await recvaultIn(
      second,
      ['vault', 'fetch', '--recording', String(row.id)],
      keysEnv(),
    );
    expect(again.stdout).toContain(`local   ${row.remote_id}:`);
    // The two not copied are kept in the vault only: said so, not missing, not failed.
    const partly = await recvaultIn(second, ['verify'], keysEnv());
    expect(partly.stdout).toContain('2 recording(s) kept in the team vault only');
    expect(partly.stdout).toContain('The archive matches its index.');
    expect(partly.code).toBe(0);
    expect(
      queryIndex(second, `SELECT seq FROM audit_log WHERE action = 'recording.integrity_failed'`),
    ).toEqual([]);

    // With every recording copied, the archive verifies as the first officer's does.
    const rest = indexed(second).slice(1);
    const all = await recvaultIn(
      second,
      ['vault', 'fetch', ...rest.flatMap((r) => ['--recording', String(r.id)])],
      keysEnv(),
    );
    expect(all.code).toBe(0);
    const verified = await recvaultIn(second, ['verify'], keysEnv());
    expect(verified.stdout).toContain('3 archived files checked: 3 intact.');
    expect(verified.stdout).toContain('The archive matches its index.');
    expect(verified.code).toBe(0);

    const engine = await openEngine({ dataDir: second, ...CLI_ENGINE_OPTIONS, env: keysEnv() });
    try {
      expect((await engine.media.media(row.id)).copy).toBe('local');
    } finally {
      await engine.close();
    }
  });
});

describe('a vault object whose bytes are not the index’s', () => {
  it('is refused by name: not played, not copied, not exported', async () => {
    const { first, second } = await twoOfficers('sess_forged', 'forged');
    const row = indexed(second)[0]!;
    const theirs = indexed(first).find((r) => r.remote_id === row.remote_id)!;
    const key = queryIndex<{ object_key: string }>(
      first,
      `SELECT object_key FROM vault_items WHERE item = ?`,
      `media:${theirs.id}`,
    )[0]!.object_key;
    const original = fs.readFileSync(archiveFile(first, theirs.local_path));
    // Same length and the right SHA-256 in its metadata: only the bytes tell.
    const forged = Buffer.from(original);
    forged[forged.length - 1] = forged[forged.length - 1]! ^ 0xff;
    await s3.send(
      new PutObjectCommand({
        Bucket: 'forged',
        Key: key,
        Body: forged,
        Metadata: { sha256: row.sha256 },
      }),
    );

    const fetched = await recvaultIn(
      second,
      ['vault', 'fetch', '--recording', String(row.id)],
      keysEnv(),
    );
    expect(fetched.code).toBe(1);
    expect(fetched.stdout).toContain(`Recording ${row.remote_id} (id ${row.id})`);
    expect(fetched.stdout).toContain(`not the SHA-256 ${row.sha256}`);
    const folder = path.dirname(archiveFile(second, row.local_path));
    expect(
      fs.existsSync(folder) ? fs.readdirSync(folder).filter((n) => !n.endsWith('.json')) : [],
    ).toEqual([]);

    const exported = await exportSums(second, [row.id]);
    expect(exported.exported.code).not.toBe(0);
    expect(exported.exported.stdout + exported.exported.stderr).toContain(
      `Recording ${row.remote_id} (id ${row.id})`,
    );
    expect(fs.existsSync(path.join(exported.out, 'SHA256SUMS'))).toBe(false);

    // Played whole, the same bytes are cut short with the reason, never ended as if whole.
    const player = await openEngine({ dataDir: second, ...CLI_ENGINE_OPTIONS, env: keysEnv() });
    try {
      const whole = await player.media.serve(row.id, 'GET', null);
      expect(whole.status).toBe(200);
      const read = (async () => {
        for await (const _chunk of whole.body!) void _chunk;
      })();
      await expect(read).rejects.toThrow(`Recording ${row.remote_id} (id ${row.id})`);
    } finally {
      await player.close();
    }

    // An object that does not even claim the index's hash is refused before a player starts.
    await s3.send(new PutObjectCommand({ Bucket: 'forged', Key: key, Body: 'forged' }));
    const engine = await openEngine({ dataDir: second, ...CLI_ENGINE_OPTIONS, env: keysEnv() });
    try {
      await expect(engine.media.media(row.id)).rejects.toThrow(
        new RegExp(`Recording ${row.remote_id} \\(id ${row.id}\\).*carries no SHA-256`),
      );
      const served = await engine.media.serve(row.id, 'GET', 'bytes=0-99');
      expect(served.status).toBe(502);
    } finally {
      await engine.close();
    }
  });
});
