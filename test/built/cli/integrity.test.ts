// `recvault verify` catches a changed byte and an unindexed file, `recvault audit verify` an
// edited or deleted audit row, and `recvault reindex` rebuilds an equal index from the
// archive's files and sidecars alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dualChannelSession } from '../../fakes/kallglot.ts';
import { archiveDir, mediaFiles, queryIndex, recordings } from '../../support/data-dir.ts';
import { newDataDir, startWorld, type World } from '../../support/engine.ts';
import { runCli, runCliOk } from '../../support/cli.ts';

let world: World;
/** One archive with recordings of all three providers, copied by each test that damages it. */
let synced: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  world = await startWorld();
  // Not tempDir(): that is emptied after each test, and this archive serves them all.
  synced = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'recvault-engine-')), 'data');
  await world.kallglot.addSession(dualChannelSession('sess_i'));
  const session = await world.koreai.addAudioSession({
    userId: 'u@example.com',
    startTime: '2026-02-03T10:00:00.000Z',
  });
  const call = await world.envoy.addAudioCall({
    callTime: '2026-02-04T11:00:00.000Z',
    format: 'mp4',
    phoneNumber: '+15550001111',
  });
  env = {
    KG_KEY: world.kallglot.apiKey,
    KA_SECRET: world.koreai.clientSecret,
    EV_KEY: world.envoy.apiKey,
  };
  const kg = ['--base-url', world.kallglot.baseUrl, '--api-key-env', 'KG_KEY'];
  await runCliOk(synced, ['account', 'add', 'kallglot', '--name', 'KG', ...kg], env);
  const ka = ['--host', world.koreai.baseUrl, '--bot-id', world.koreai.botId];
  ka.push('--client-id', world.koreai.clientId, '--client-secret-env', 'KA_SECRET');
  await runCliOk(synced, ['account', 'add', 'koreai', '--name', 'KA', ...ka], env);
  const ev = ['--base-url', world.envoy.baseUrl, '--api-key-env', 'EV_KEY'];
  await runCliOk(synced, ['account', 'add', 'envoy', '--name', 'EV', ...ev], env);
  await runCliOk(synced, ['sync', '--account', 'KG', '--session', 'sess_i'], env);
  const kaSync = ['--session', session.sessionId, '--user-id', 'u@example.com'];
  await runCliOk(synced, ['sync', '--account', 'KA', ...kaSync], env);
  await runCliOk(synced, ['sync', '--account', 'EV', '--call', call.id], env);
  expect(recordings(synced).map((r) => r.state)).toEqual(Array(5).fill('archived'));
}, 60_000);

afterAll(async () => {
  await world.close();
  fs.rmSync(path.dirname(synced), { recursive: true, force: true });
});

/** A copy of the synced data directory for one test to damage. */
function copyOfArchive(): string {
  const dir = newDataDir();
  fs.cpSync(synced, dir, { recursive: true });
  return dir;
}

describe('recvault verify', () => {
  it('passes on an intact archive', async () => {
    const dir = copyOfArchive();
    const result = await runCliOk(dir, ['verify'], env);
    expect(result.stdout).toMatch(/5 archived files checked: 5 intact/);
  });

  it('catches one changed byte and names the file (exit 1)', async () => {
    const dir = copyOfArchive();
    const victim = recordings(dir).find((r) => r.provider === 'envoy')!;
    const file = path.join(archiveDir(dir), victim.local_path!);
    const data = fs.readFileSync(file);
    data[Math.floor(data.length / 2)]! ^= 0x01;
    fs.writeFileSync(file, data);
    const result = await runCli(dir, ['verify'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`altered    ${victim.local_path}`);
    expect(result.stdout).toMatch(/4 intact/);
    expect(result.stdout).toMatch(/does NOT match/);
    const json = await runCli(dir, ['verify', '--json'], env);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { altered: string[] }).altered).toEqual([victim.local_path]);
  });

  it('catches a file the index does not know (exit 1)', async () => {
    const dir = copyOfArchive();
    const known = recordings(dir).find((r) => r.provider === 'kallglot')!;
    const stray = path.posix.join(path.posix.dirname(known.local_path!), 'rec_stray.wav');
    fs.copyFileSync(
      path.join(archiveDir(dir), known.local_path!),
      path.join(archiveDir(dir), stray),
    );
    const result = await runCli(dir, ['verify'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`unindexed  ${stray}`);
  });

  it('catches a missing file (exit 1)', async () => {
    const dir = copyOfArchive();
    const gone = recordings(dir)[0]!;
    fs.rmSync(path.join(archiveDir(dir), gone.local_path!));
    const result = await runCli(dir, ['verify'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`missing    ${gone.local_path}`);
  });
});

describe('recvault audit verify', () => {
  function tamper(dir: string, sql: string): void {
    const db = new Database(path.join(dir, 'index.sqlite'));
    try {
      db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
      db.exec(sql);
    } finally {
      db.close();
    }
  }

  function archivedEntry(dir: string): number {
    return queryIndex<{ seq: number }>(
      dir,
      `SELECT seq FROM audit_log WHERE action = 'recording.archived' ORDER BY seq LIMIT 1 OFFSET 1`,
    )[0]!.seq;
  }

  it('passes on an untouched log', async () => {
    const result = await runCliOk(copyOfArchive(), ['audit', 'verify'], env);
    expect(result.stdout).toMatch(/The audit log is intact/);
  });

  it('catches an edited row (exit 1)', async () => {
    const dir = copyOfArchive();
    const seq = archivedEntry(dir);
    tamper(
      dir,
      `UPDATE audit_log SET details_json = replace(details_json, '"sha256":"', '"sha256":"0') WHERE seq = ${seq}`,
    );
    const result = await runCli(dir, ['audit', 'verify'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/tampered/);
    expect(result.stdout).toMatch(new RegExp(`\\b${seq}: `));
  });

  it('catches a deleted row in the middle and at the end (exit 1)', async () => {
    const middle = copyOfArchive();
    tamper(middle, `DELETE FROM audit_log WHERE seq = ${archivedEntry(middle)}`);
    const first = await runCli(middle, ['audit', 'verify'], env);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/tampered/);

    const tail = copyOfArchive();
    tamper(tail, 'DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)');
    const second = await runCli(tail, ['audit', 'verify'], env);
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(/tampered/);
  });
});

describe('recvault reindex', () => {
  const COLUMNS = [
    'account_id',
    'provider',
    'remote_id',
    'session_id',
    'call_id',
    'user_id',
    'channel',
    'provider_status',
    'remote_status',
    'format',
    'content_type',
    'size',
    'duration_sec',
    'sample_rate',
    'bit_depth',
    'recorded_at',
    'created_at',
    'expires_at',
    'phone_numbers',
    'provider_file_name',
    'raw_json',
    'local_path',
    'local_size',
    'sha256',
    'archived_at',
    'state',
  ].join(', ');

  const snapshot = (dir: string) =>
    queryIndex<Record<string, unknown>>(
      dir,
      `SELECT ${COLUMNS} FROM recordings ORDER BY account_id, remote_id`,
    );

  it('rebuilds an equal index after index.sqlite (and -wal, -shm) is deleted', async () => {
    const dir = copyOfArchive();
    const before = snapshot(dir);
    const accountsBefore = queryIndex<{ id: number; name: string; provider: string }>(
      dir,
      'SELECT id, name, provider FROM accounts ORDER BY id',
    );
    for (const suffix of ['', '-wal', '-shm']) {
      fs.rmSync(path.join(dir, `index.sqlite${suffix}`), { force: true });
    }
    const result = await runCliOk(dir, ['reindex'], env);
    expect(result.stdout).toMatch(/5 of 5 sidecars indexed/);

    const after = snapshot(dir);
    expect(after).toEqual(before);
    expect(
      queryIndex<{ id: number; name: string; provider: string }>(
        dir,
        'SELECT id, name, provider FROM accounts ORDER BY id',
      ),
    ).toEqual(accountsBefore);
    // Search finds them again (the FTS index was rebuilt too), and verify agrees.
    const search = await runCliOk(dir, ['search', '+15550001111', '--json'], env);
    const found = JSON.parse(search.stdout) as { rows: { provider: string; state: string }[] };
    expect(found.rows.map((r) => [r.provider, r.state])).toEqual([['envoy', 'archived']]);
    await runCliOk(dir, ['verify'], env);
    expect(mediaFiles(dir)).toHaveLength(5);
  });
});
