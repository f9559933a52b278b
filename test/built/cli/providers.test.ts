// For each provider, through the built `recvault` CLI: `account add` then `sync` archives
// every recording byte-exact with its sidecar and an archived index row, `--json` parses, and a
// second sync downloads nothing.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dualChannelSession } from '../../fakes/kallglot.ts';
import { fakeAudio } from '../../fakes/audio.ts';
import { addKallglotAccount, runCli, runCliOk } from '../../support/cli.ts';
import {
  expectArchivedRowsMatch,
  mediaFiles,
  partials,
  recordings,
  storageDownloads,
} from '../../support/data-dir.ts';
import { newDataDir, startWorld, type World } from '../../support/engine.ts';

let world: World;
let dataDir: string;

beforeEach(async () => {
  world = await startWorld();
  dataDir = newDataDir();
});
afterEach(async () => {
  await world.close();
});

interface SyncJson {
  job: {
    state: string;
    totals: { discovered: number; archived: number; skipped: number; failed: number };
  };
  problems: { remoteId: string; state: string; error: string | null }[];
}

describe('Kallglot through the CLI', () => {
  it('archives sessions byte-exact, then a second sync downloads nothing', async () => {
    await world.kallglot.addSession(dualChannelSession('sess_k1'));
    await world.kallglot.addSession(dualChannelSession('sess_k2'));
    const env = await addKallglotAccount(dataDir, world.kallglot, 'KG');

    const first = await runCliOk(
      dataDir,
      ['sync', '--account', 'KG', '--session', 'sess_k1', '--session', 'sess_k2', '--json'],
      env,
    );
    const [result] = JSON.parse(first.stdout) as SyncJson[];
    expect(result!.job.state).toBe('done');
    expect(result!.job.totals).toMatchObject({ discovered: 6, archived: 6, failed: 0 });
    expect(result!.problems).toEqual([]);

    const rows = recordings(dataDir);
    expect(rows.map((r) => r.remote_id).sort()).toEqual(
      [...world.kallglot.recordings.keys()].sort(),
    );
    expectArchivedRowsMatch(
      dataDir,
      rows,
      (r) => world.kallglot.recordings.get(r.remote_id)?.sha256,
    );
    expect(mediaFiles(dataDir)).toHaveLength(6);
    expect(partials(dataDir)).toEqual([]);

    const downloads = storageDownloads(world.storage);
    const second = await runCliOk(
      dataDir,
      ['sync', '--account', 'KG', '--session', 'sess_k1', '--session', 'sess_k2'],
      env,
    );
    expect(storageDownloads(world.storage)).toBe(downloads);
    expect(second.stdout).toMatch(/0 archived, 6 already archived/);
    expect(mediaFiles(dataDir)).toHaveLength(6);
  });

  it('archives single recordings by id', async () => {
    const [mixed] = await world.kallglot.addSession(dualChannelSession('sess_r'));
    const env = await addKallglotAccount(dataDir, world.kallglot, 'KG');
    await runCliOk(dataDir, ['sync', '--account', 'KG', '--recording', mixed!.id], env);
    const rows = recordings(dataDir);
    expect(rows.map((r) => r.remote_id)).toEqual([mixed!.id]);
    expectArchivedRowsMatch(dataDir, rows, () => mixed!.sha256);
  });
});

describe('Kore.ai through the CLI', () => {
  async function addAccount(env: NodeJS.ProcessEnv): Promise<void> {
    await runCliOk(
      dataDir,
      [
        'account',
        'add',
        'koreai',
        '--name',
        'KA',
        '--host',
        world.koreai.baseUrl,
        '--bot-id',
        world.koreai.botId,
        '--client-id',
        world.koreai.clientId,
        '--client-secret-env',
        'KA_SECRET',
      ],
      env,
    );
  }

  /** SHA-256 of each stored Kore.ai file, by the session it belongs to. */
  function koreaiFiles(sessionId: string): string[] {
    return world.koreai.sessions
      .get(sessionId)!
      .files.map((f) => f.stored.sha256)
      .sort();
  }

  it('archives sessions given with --user-id, then a second sync downloads nothing', async () => {
    const a = await world.koreai.addAudioSession({
      userId: 'u1@example.com',
      startTime: new Date(Date.now() - 3600_000).toISOString(),
    });
    const b = await world.koreai.addAudioSession({
      userId: 'u2@example.com',
      startTime: new Date(Date.now() - 7200_000).toISOString(),
      format: 'mp3',
    });
    const env = { KA_SECRET: world.koreai.clientSecret };
    await addAccount(env);
    const first = await runCliOk(
      dataDir,
      [
        'sync',
        '--account',
        'KA',
        '--session',
        a.sessionId,
        '--user-id',
        'u1@example.com',
        '--session',
        b.sessionId,
        '--user-id',
        'u2@example.com',
        '--json',
      ],
      env,
    );
    const [result] = JSON.parse(first.stdout) as SyncJson[];
    expect(result!.job.totals).toMatchObject({ discovered: 2, archived: 2, failed: 0 });
    const rows = recordings(dataDir);
    expect(rows).toHaveLength(2);
    expectArchivedRowsMatch(dataDir, rows, (r) => koreaiFiles(r.session_id!)[0]);
    expect(rows.map((r) => r.user_id).sort()).toEqual(['u1@example.com', 'u2@example.com']);

    const downloads = storageDownloads(world.storage);
    await runCliOk(
      dataDir,
      [
        'sync',
        '--account',
        'KA',
        '--session',
        a.sessionId,
        '--user-id',
        'u1@example.com',
        '--session',
        b.sessionId,
        '--user-id',
        'u2@example.com',
      ],
      env,
    );
    expect(storageDownloads(world.storage)).toBe(downloads);
  });

  /** A session with a stereo mix and one file per side, as a dual-channel Kore.ai bot has. */
  async function threeFileSession(status: string) {
    const sessionId = `sess${Math.random().toString(16).slice(2, 14)}`;
    const file = async (channel: 'mixed' | 'agent' | 'customer', suffix: string) => {
      const audio = await fakeAudio({ channel, format: 'wav' });
      return {
        fileName: `${sessionId}-${suffix}.wav`,
        data: fs.readFileSync(audio.path),
        contentType: audio.contentType,
        ext: 'wav',
      };
    };
    return world.koreai.addSession({
      sessionId,
      userId: 'late@example.com',
      startTime: new Date(Date.now() - 600_000).toISOString(),
      status,
      files: [
        await file('mixed', 'merged'),
        await file('agent', 'agent'),
        await file('customer', 'customer'),
      ],
    });
  }

  function expectWholeSessionArchived(sessionId: string): void {
    const rows = recordings(dataDir);
    // Nothing left standing for the session as a whole: one archived row per real file.
    expect(rows.map((r) => r.remote_id)).not.toContain(`${sessionId}:session`);
    expect(rows.map((r) => r.state)).toEqual(['archived', 'archived', 'archived']);
    expect(rows.map((r) => r.channel).sort()).toEqual(['agent', 'customer', 'mixed']);
    expect(rows.map((r) => r.sha256).sort()).toEqual(koreaiFiles(sessionId));
    expectArchivedRowsMatch(dataDir, rows, (r) => r.sha256 ?? undefined);
    expect(new Set(rows.map((r) => r.local_path)).size).toBe(3);
    expect(mediaFiles(dataDir)).toHaveLength(3);
  }

  it('a session still in progress is listed as not ready (exit 1); a later sync archives all its files', async () => {
    const session = await threeFileSession('media_in_progress');
    const env = { KA_SECRET: world.koreai.clientSecret };
    await addAccount(env);
    const args = [
      'sync',
      '--account',
      'KA',
      '--session',
      session.sessionId,
      '--user-id',
      'late@example.com',
      '--max-wait',
      '0',
    ];
    const first = await runCli(dataDir, args, env);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/1 not ready/);
    expect(first.stdout).toMatch(/pending\s+\S+:session: .*media_in_progress/);
    expect(mediaFiles(dataDir)).toEqual([]);

    world.koreai.setStatus(session.sessionId, 'success');
    const second = await runCliOk(dataDir, args, env);
    expect(second.stdout).toMatch(/3 archived/);
    expectWholeSessionArchived(session.sessionId);
    await runCliOk(dataDir, ['verify'], env);
  });

  it('a session that becomes ready after discovery, within the run, has all its files archived', async () => {
    const session = await threeFileSession('media_in_progress');
    const env = { KA_SECRET: world.koreai.clientSecret };
    await addAccount(env);
    // Discovery sees the session in progress; by the time the download asks again, it is done.
    const requests = world.koreai.requests;
    const push = requests.push.bind(requests);
    requests.push = (...items) => {
      const n = push(...items);
      if (requests.filter((r) => r.path.endsWith('/v2/recordings')).length === 1) {
        queueMicrotask(() => world.koreai.setStatus(session.sessionId, 'success'));
      }
      return n;
    };
    const result = await runCliOk(
      dataDir,
      [
        'sync',
        '--account',
        'KA',
        '--session',
        session.sessionId,
        '--user-id',
        'late@example.com',
        '--json',
      ],
      env,
    );
    const [job] = JSON.parse(result.stdout) as SyncJson[];
    expect(job!.job.state).toBe('done');
    expect(job!.problems).toEqual([]);
    expectWholeSessionArchived(session.sessionId);

    const downloads = storageDownloads(world.storage);
    await runCliOk(
      dataDir,
      ['sync', '--account', 'KA', '--session', session.sessionId, '--user-id', 'late@example.com'],
      env,
    );
    expect(storageDownloads(world.storage)).toBe(downloads);
    await runCliOk(dataDir, ['verify'], env);
  });

  it('a channel filter does not hide a session still in progress', async () => {
    const session = await threeFileSession('call_in_progress');
    const env = { KA_SECRET: world.koreai.clientSecret };
    await addAccount(env);
    const args = [
      'sync',
      '--account',
      'KA',
      '--session',
      session.sessionId,
      '--user-id',
      'late@example.com',
      '--channel',
      'agent',
      '--max-wait',
      '0',
    ];
    const first = await runCli(dataDir, args, env);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/1 not ready/);

    world.koreai.setStatus(session.sessionId, 'success');
    await runCliOk(dataDir, args, env);
    const rows = recordings(dataDir);
    expect(rows.map((r) => [r.channel, r.state])).toEqual([['agent', 'archived']]);
    const agentFile = world.koreai.sessions.get(session.sessionId)!.files[1]!;
    expectArchivedRowsMatch(dataDir, rows, () => agentFile.stored.sha256);
  });

  it('archives the sessions of a date range (--since/--until) across several 7-day windows', async () => {
    const at = (day: number) => new Date(Date.UTC(2026, 0, day, 9)).toISOString();
    const inside = [
      await world.koreai.addAudioSession({ userId: 'a@example.com', startTime: at(2) }),
      await world.koreai.addAudioSession({ userId: 'b@example.com', startTime: at(12) }),
      await world.koreai.addAudioSession({
        userId: 'a@example.com',
        startTime: at(20),
        format: 'mp3',
      }),
    ];
    // Just outside both ends: the bounds are whole days.
    await world.koreai.addAudioSession({ userId: 'a@example.com', startTime: at(1) });
    await world.koreai.addAudioSession({ userId: 'a@example.com', startTime: at(21) });
    const env = { KA_SECRET: world.koreai.clientSecret };
    await addAccount(env);
    const args = ['sync', '--account', 'KA', '--since', '2026-01-02', '--until', '2026-01-20'];
    const result = await runCliOk(dataDir, [...args, '--json'], env);
    const [job] = JSON.parse(result.stdout) as SyncJson[];
    expect(job!.job.totals).toMatchObject({ discovered: 3, archived: 3 });
    const rows = recordings(dataDir);
    expect(rows.map((r) => r.session_id).sort()).toEqual(inside.map((s) => s.sessionId).sort());
    expectArchivedRowsMatch(dataDir, rows, (r) => koreaiFiles(r.session_id!)[0]);
    expect(rows.map((r) => r.local_path!.split('/').slice(2, 5).join('-')).sort()).toEqual([
      '2026-01-02',
      '2026-01-12',
      '2026-01-20',
    ]);
    const downloads = storageDownloads(world.storage);
    await runCliOk(dataDir, args, env);
    expect(storageDownloads(world.storage)).toBe(downloads);
  });

  it('refuses a Kore.ai session without its user id (exit 2)', async () => {
    const env = { KA_SECRET: world.koreai.clientSecret };
    await addAccount(env);
    const result = await runCli(dataDir, ['sync', '--account', 'KA', '--session', 'abc'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs the user id/);
  });
});

describe('Envoy through the CLI', () => {
  it('archives calls (audio and video/mp4) found by date range, then downloads nothing again', async () => {
    const day = (d: number) => new Date(Date.UTC(2026, 0, d, 10)).toISOString();
    const inRange1 = await world.envoy.addAudioCall({
      callTime: day(8),
      phoneNumber: '+15551230001',
    });
    const inRange2 = await world.envoy.addAudioCall({ callTime: day(15), format: 'mp4' });
    const before = await world.envoy.addAudioCall({ callTime: day(7) });
    const after = await world.envoy.addAudioCall({ callTime: day(16) });
    const env = { ENVOY_KEY: world.envoy.apiKey };
    await runCliOk(
      dataDir,
      [
        'account',
        'add',
        'envoy',
        '--name',
        'EV',
        '--base-url',
        world.envoy.baseUrl,
        '--api-key-env',
        'ENVOY_KEY',
      ],
      env,
    );

    const first = await runCliOk(
      dataDir,
      ['sync', '--account', 'EV', '--since', '2026-01-08', '--until', '2026-01-15', '--json'],
      env,
    );
    const [result] = JSON.parse(first.stdout) as SyncJson[];
    expect(result!.job.totals).toMatchObject({ discovered: 2, archived: 2, failed: 0 });
    const rows = recordings(dataDir);
    expect(rows.map((r) => r.call_id).sort()).toEqual([inRange1.id, inRange2.id].sort());
    expect(rows.map((r) => r.call_id)).not.toContain(before.id);
    expect(rows.map((r) => r.call_id)).not.toContain(after.id);
    expectArchivedRowsMatch(
      dataDir,
      rows,
      (r) => world.envoy.calls.get(r.call_id!)?.stored?.sha256,
    );
    const video = rows.find((r) => r.call_id === inRange2.id)!;
    expect(video.local_path).toMatch(/\.mp4$/);
    expect(video.content_type).toBe('video/mp4');
    expect(JSON.parse(rows.find((r) => r.call_id === inRange1.id)!.phone_numbers)).toContain(
      '+15551230001',
    );

    const downloads = storageDownloads(world.storage);
    const second = await runCliOk(
      dataDir,
      ['sync', '--account', 'EV', '--since', '2026-01-08', '--until', '2026-01-15'],
      env,
    );
    expect(second.stdout).toMatch(/0 archived, 2 already archived/);
    expect(storageDownloads(world.storage)).toBe(downloads);
  });

  it('archives calls given by id', async () => {
    const call = await world.envoy.addAudioCall({ callTime: new Date().toISOString() });
    const env = { ENVOY_KEY: world.envoy.apiKey };
    await runCliOk(
      dataDir,
      [
        'account',
        'add',
        'envoy',
        '--name',
        'EV',
        '--base-url',
        world.envoy.baseUrl,
        '--api-key-env',
        'ENVOY_KEY',
      ],
      env,
    );
    await runCliOk(dataDir, ['sync', '--account', 'EV', '--call', call.id], env);
    const rows = recordings(dataDir);
    expect(rows).toHaveLength(1);
    expectArchivedRowsMatch(dataDir, rows, () => call.stored!.sha256);
  });
});
