// Every fault switch of the fakes, through `recvault sync`: each ends in a correct archive
// (byte-exact, exit 0) or a clear reason recorded in the index and listed by the CLI (exit 1).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeAudio } from '../../fakes/audio.ts';
import { HOSTILE_FILE_NAMES, type Fault } from '../../fakes/faults.ts';
import { dualChannelSession } from '../../fakes/kallglot.ts';
import { addKallglotAccount, runCli, runCliOk, type CliResult } from '../../support/cli.ts';
import {
  expectArchivedRowsMatch,
  filesUnder,
  mediaFiles,
  partials,
  recordings,
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

const KG = () => ({ KG_KEY: world.kallglot.apiKey });

async function kallglotAccount(): Promise<void> {
  await addKallglotAccount(dataDir, world.kallglot, 'KG');
}

/** One dual-channel session, an account, the fault armed by `arm`, then one sync. */
async function kallglotSync(arm: () => void): Promise<CliResult> {
  await world.kallglot.addSession(dualChannelSession('sess_f'));
  await kallglotAccount();
  arm();
  return runCli(
    dataDir,
    ['sync', '--account', 'KG', '--session', 'sess_f', '--max-wait', '0'],
    KG(),
  );
}

function expectKallglotArchived(result: CliResult): void {
  expect(result.code, result.stdout + result.stderr).toBe(0);
  const rows = recordings(dataDir);
  expect(rows).toHaveLength(3);
  expectArchivedRowsMatch(dataDir, rows, (r) => world.kallglot.recordings.get(r.remote_id)?.sha256);
  expect(partials(dataDir)).toEqual([]);
}

describe('faults that must end in a correct archive', () => {
  it('429 with Retry-After (seconds, HTTP date, X-RateLimit-Reset)', async () => {
    const result = await kallglotSync(() => {
      const faults = world.kallglot.faults;
      faults.inject(
        { type: 'rate_limit', retryAfterSec: 1, form: 'seconds' },
        { match: '/sessions/' },
      );
      faults.inject({ type: 'rate_limit', retryAfterSec: 1, form: 'date' }, { match: '/download' });
      faults.inject(
        { type: 'rate_limit', retryAfterSec: 1, form: 'reset' },
        { match: '/download' },
      );
    });
    expectKallglotArchived(result);
    expect(world.kallglot.faults.fired.rate_limit).toBe(3);
  });

  it('a burst of 5xx from the API and from storage', async () => {
    const result = await kallglotSync(() => {
      world.kallglot.faults.inject({ type: 'server_error', status: 503 }, { times: 2 });
      world.storage.faults.inject({ type: 'server_error', status: 500 }, { times: 2 });
    });
    expectKallglotArchived(result);
    expect(world.kallglot.faults.fired.server_error).toBe(2);
    expect(world.storage.faults.fired.server_error).toBe(2);
  });

  it('a connection dropped mid-body resumes with Range', async () => {
    const result = await kallglotSync(() => {
      // Trickled (~200 ms to the drop), so it comes while the body is being written to `.part`.
      world.storage.faults.inject({ type: 'drop_mid_body', afterBytes: 40_000 }, { times: 3 });
      world.storage.faults.inject(
        { type: 'slow_body', chunkBytes: 4096, delayMs: 20 },
        { times: Number.POSITIVE_INFINITY },
      );
    });
    expectKallglotArchived(result);
    expect(world.storage.faults.fired.drop_mid_body).toBe(3);
    const resumedAt = world.storage.requests
      .map((r) => /^bytes=(\d+)-$/.exec(r.headers.range ?? '')?.[1])
      .filter((start) => start !== undefined)
      .map(Number);
    expect(resumedAt.length).toBeGreaterThan(0);
    expect(Math.min(...resumedAt)).toBeGreaterThan(0);
  });

  it('a body shorter than its Content-Length', async () => {
    const result = await kallglotSync(() => {
      world.storage.faults.inject({ type: 'short_body', missingBytes: 500 }, { times: 3 });
    });
    expectKallglotArchived(result);
    expect(world.storage.faults.fired.short_body).toBe(3);
  });

  it('a slow stream', async () => {
    const result = await kallglotSync(() => {
      world.storage.faults.inject(
        { type: 'slow_body', chunkBytes: 16_384, delayMs: 20 },
        { times: Number.POSITIVE_INFINITY },
      );
    });
    expectKallglotArchived(result);
    expect(world.storage.faults.fired.slow_body).toBeGreaterThanOrEqual(3);
  });

  it('an expired signed URL is renewed (Kallglot, Kore.ai, Envoy)', async () => {
    const kg = await kallglotSync(() => {
      world.storage.faults.inject({ type: 'expired_url' });
    });
    expectKallglotArchived(kg);

    const session = await world.koreai.addAudioSession({
      userId: 'u@example.com',
      startTime: new Date().toISOString(),
    });
    const call = await world.envoy.addAudioCall({ callTime: new Date().toISOString() });
    const env = { ...KG(), KA_SECRET: world.koreai.clientSecret, EV_KEY: world.envoy.apiKey };
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
    const envoyAdd = ['account', 'add', 'envoy', '--name', 'EV', '--base-url'];
    await runCliOk(dataDir, [...envoyAdd, world.envoy.baseUrl, '--api-key-env', 'EV_KEY'], env);
    world.storage.faults.inject({ type: 'expired_url' }, { times: 2 });
    const before = world.storage.faults.fired.expired_url ?? 0;
    await runCliOk(
      dataDir,
      ['sync', '--account', 'KA', '--session', session.sessionId, '--user-id', 'u@example.com'],
      env,
    );
    await runCliOk(dataDir, ['sync', '--account', 'EV', '--call', call.id], env);
    expect(world.storage.faults.fired.expired_url).toBe(before + 2);
    const rows = recordings(dataDir).filter((r) => r.provider !== 'kallglot');
    expect(rows).toHaveLength(2);
    expectArchivedRowsMatch(dataDir, rows, (r) =>
      r.provider === 'envoy' ? call.stored!.sha256 : session.files[0]!.stored.sha256,
    );
  });

  it('hostile file names from the provider never become archive paths', async () => {
    // Kallglot suggests them in Content-Disposition, Kore.ai as each file's fileName.
    for (let i = 0; i < 4; i++) await world.kallglot.addSession(dualChannelSession(`sess_h${i}`));
    await kallglotAccount();
    for (const fileName of HOSTILE_FILE_NAMES) {
      world.kallglot.faults.inject({ type: 'hostile_filename', fileName }, { match: '/download' });
    }
    const audio = await fakeAudio({ channel: 'mixed', format: 'wav' });
    const data = fs.readFileSync(audio.path);
    const hostileSession = world.koreai.addSession({
      sessionId: 'hostile-session',
      userId: 'u@example.com',
      startTime: new Date().toISOString(),
      files: HOSTILE_FILE_NAMES.map((fileName) => ({
        fileName,
        data,
        contentType: 'audio/wav',
        ext: 'wav',
      })),
    });
    const env = { ...KG(), KA_SECRET: world.koreai.clientSecret };
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
    const sessions = [0, 1, 2, 3].flatMap((i) => ['--session', `sess_h${i}`]);
    await runCliOk(dataDir, ['sync', '--account', 'KG', ...sessions], env);
    await runCliOk(
      dataDir,
      ['sync', '--account', 'KA', '--session', 'hostile-session', '--user-id', 'u@example.com'],
      env,
    );
    expect(world.kallglot.faults.fired.hostile_filename).toBe(HOSTILE_FILE_NAMES.length);

    const rows = recordings(dataDir);
    expect(rows).toHaveLength(12 + HOSTILE_FILE_NAMES.length);
    expectArchivedRowsMatch(dataDir, rows, (r) =>
      r.provider === 'kallglot'
        ? world.kallglot.recordings.get(r.remote_id)?.sha256
        : hostileSession.files[0]!.stored.sha256,
    );
    // Every file the sync wrote is in the data directory, under the fixed safe layout.
    const tempRoot = path.dirname(dataDir);
    expect(fs.readdirSync(tempRoot)).toEqual(['data']);
    // File names are the recording ids, with what a file system refuses escaped as %XX (the
    // Kore.ai id's `:` as %3A) and a `~hash` where an id has capitals.
    const safe =
      /^(kallglot|koreai|envoy)\/[a-z0-9._-]+\/(\d{4}\/\d{2}\/\d{2}|undated)\/[\w.%~-]+$/;
    for (const file of filesUnder(path.join(dataDir, 'archive'))) expect(file).toMatch(safe);
    for (const row of rows) {
      for (const name of HOSTILE_FILE_NAMES) {
        expect(row.local_path).not.toContain(name);
      }
      expect(row.provider_file_name ?? '').not.toMatch(/[/\\\0\r\n]/);
    }
    expect(mediaFiles(dataDir)).toHaveLength(rows.length);
  });
});

describe('faults that must end in a clear recorded reason', () => {
  it('stuck processing: pending with its reason, listed, exit 1', async () => {
    await world.kallglot.addSession(dualChannelSession('sess_f'));
    const stuck = [...world.kallglot.recordings.values()][1]!;
    await kallglotAccount();
    world.kallglot.faults.inject(
      { type: 'stuck_processing' },
      { match: stuck.id, times: Number.POSITIVE_INFINITY },
    );
    const result = await runCli(
      dataDir,
      ['sync', '--account', 'KG', '--session', 'sess_f', '--max-wait', '0'],
      KG(),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/2 archived, 0 already archived, 1 not ready/);
    expect(result.stdout).toContain(
      `pending  ${stuck.id}: Not ready yet at the provider (processing)`,
    );
    const row = recordings(dataDir).find((r) => r.remote_id === stuck.id)!;
    expect(row.state).toBe('pending');
    expect(row.last_error).toMatch(/processing/);
    expect(mediaFiles(dataDir)).toHaveLength(2);
  });

  it('malformed JSON from the API: a clear error, nothing half-recorded', async () => {
    const result = await kallglotSync(() => {
      world.kallglot.faults.inject(
        { type: 'malformed_json' },
        { match: '/sessions/', times: Number.POSITIVE_INFINITY },
      );
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Kallglot/);
    expect(result.stdout).toMatch(/JSON/i);
    expect(recordings(dataDir)).toEqual([]);
    expect(mediaFiles(dataDir)).toEqual([]);
  });

  it('malformed JSON while describing one recording: that item failed with its reason', async () => {
    await world.kallglot.addSession({
      id: 'sess_m',
      recordings: [{ channel: 'agent', status: 'processing' }, { channel: 'customer' }],
    });
    const [processing] = [...world.kallglot.recordings.values()];
    await kallglotAccount();
    world.kallglot.update(processing!.id, { status: 'ready' });
    world.kallglot.faults.inject(
      { type: 'malformed_json' },
      { match: `/recordings/${processing!.id}`, times: Number.POSITIVE_INFINITY },
    );
    // Listing says processing (so the engine describes it again); the describe reply is cut.
    world.kallglot.update(processing!.id, { status: 'processing' });
    const result = await runCli(
      dataDir,
      ['sync', '--account', 'KG', '--session', 'sess_m', '--max-wait', '0'],
      KG(),
    );
    expect(result.code).toBe(1);
    const row = recordings(dataDir).find((r) => r.remote_id === processing!.id)!;
    expect(row.state).not.toBe('archived');
    expect(row.last_error).toMatch(/JSON/i);
    expect(result.stdout).toContain(processing!.id);
    expect(result.stdout).toMatch(/JSON/i);
  });

  it('429 with a Retry-After too long to wait: pending with the reason, exit 1', async () => {
    const result = await kallglotSync(() => {
      world.kallglot.faults.inject(
        { type: 'rate_limit', retryAfterSec: 3600 },
        { match: '/download', times: Number.POSITIVE_INFINITY },
      );
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/3 not ready/);
    expect(result.stdout).toMatch(/pending\s+rec_\S+: .*(rate|too many)/i);
    for (const row of recordings(dataDir)) {
      expect(row.state).toBe('pending');
      expect(row.last_error).toMatch(/rate|too many/i);
    }
  });

  it.each([
    ['links that keep expiring', 'storage', { type: 'expired_url' }],
    ['storage that keeps answering 502', 'storage', { type: 'server_error', status: 502 }],
    ['an API that keeps answering 503', 'api', { type: 'server_error', status: 503 }],
  ] as const)(
    '%s: reasons recorded and listed, exit 1, nothing counted',
    async (_, where, fault) => {
      const result = await kallglotSync(() => {
        const faults = where === 'storage' ? world.storage.faults : world.kallglot.faults;
        faults.inject(fault, {
          times: Number.POSITIVE_INFINITY,
          ...(where === 'api' ? { match: '/download' } : {}),
        });
      });
      expect(result.code).toBe(1);
      const rows = recordings(dataDir);
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        expect(row.state).not.toBe('archived');
        expect(row.last_error).toBeTruthy();
        expect(result.stdout).toContain(`${row.remote_id}: ${row.last_error!.split('\n')[0]}`);
      }
      expect(mediaFiles(dataDir)).toEqual([]);
    },
  );
});

/** A fault armed on the provider's API or on the storage host, and what it must lead to. */
interface ArmedFault {
  where: 'api' | 'storage';
  fault: Fault;
  times: number;
  /**
   * The body is cut short: it trickles (so the cut comes while bytes are being written to the
   * `.part`, as on a real network), and each cut must be resumed with a Range request.
   */
  cuts?: boolean;
}

/** The trickle under a cut body (as in the Kallglot case above). */
const TRICKLE: Fault = { type: 'slow_body', chunkBytes: 4096, delayMs: 20 };

const MATRIX: [string, ArmedFault][] = [
  [
    '429 with Retry-After',
    { where: 'api', fault: { type: 'rate_limit', retryAfterSec: 1 }, times: 1 },
  ],
  ['a 5xx burst', { where: 'api', fault: { type: 'server_error' }, times: 2 }],
  [
    'a dropped body',
    {
      where: 'storage',
      fault: { type: 'drop_mid_body', afterBytes: 8_000 },
      times: 2,
      cuts: true,
    },
  ],
  [
    'a short body',
    { where: 'storage', fault: { type: 'short_body', missingBytes: 100 }, times: 2, cuts: true },
  ],
  [
    'a slow body',
    { where: 'storage', fault: { type: 'slow_body', chunkBytes: 8192, delayMs: 5 }, times: 1 },
  ],
];

/** Start offsets of the storage requests that asked for the rest of a file (`bytes=N-`). */
function rangeStarts(storage: World['storage']): number[] {
  return storage.requests
    .map((r) => /^bytes=(\d+)-$/.exec(String(r.headers.range ?? ''))?.[1])
    .filter((start) => start !== undefined)
    .map(Number);
}

describe('the same faults on Kore.ai and Envoy', () => {
  interface Target {
    sync: string[];
    env: NodeJS.ProcessEnv;
    api: World['kallglot']['faults'];
    /** Path fragment of the per-recording API call. */
    recordingPath: string;
    expected: string;
  }

  async function target(provider: 'koreai' | 'envoy'): Promise<Target> {
    if (provider === 'koreai') {
      const s = await world.koreai.addAudioSession({
        userId: 'u@example.com',
        startTime: new Date().toISOString(),
      });
      const env = { KA_SECRET: world.koreai.clientSecret };
      const add = ['account', 'add', 'koreai', '--name', 'ACC', '--host', world.koreai.baseUrl];
      add.push('--bot-id', world.koreai.botId, '--client-id', world.koreai.clientId);
      await runCliOk(dataDir, [...add, '--client-secret-env', 'KA_SECRET'], env);
      return {
        sync: ['sync', '--account', 'ACC', '--session', s.sessionId, '--user-id', s.userId],
        env,
        api: world.koreai.faults,
        recordingPath: '/v2/recordings',
        expected: s.files[0]!.stored.sha256,
      };
    }
    const call = await world.envoy.addAudioCall({ callTime: new Date().toISOString() });
    const env = { EV_KEY: world.envoy.apiKey };
    const add = ['account', 'add', 'envoy', '--name', 'ACC', '--base-url', world.envoy.baseUrl];
    await runCliOk(dataDir, [...add, '--api-key-env', 'EV_KEY'], env);
    return {
      sync: ['sync', '--account', 'ACC', '--call', call.id],
      env,
      api: world.envoy.faults,
      recordingPath: '/recording',
      expected: call.stored!.sha256,
    };
  }

  const run = (t: Target) => runCli(dataDir, [...t.sync, '--max-wait', '0'], t.env);

  describe.each(['koreai', 'envoy'] as const)('%s', (provider) => {
    it.each(MATRIX)('%s ends in a correct archive', async (_, armed) => {
      const t = await target(provider);
      const faults = armed.where === 'api' ? t.api : world.storage.faults;
      const elsewhere = armed.where === 'api' ? world.storage.faults : t.api;
      faults.inject(armed.fault, { times: armed.times });
      if (armed.cuts) faults.inject(TRICKLE, { times: Number.POSITIVE_INFINITY });
      const result = await run(t);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const rows = recordings(dataDir);
      expect(rows).toHaveLength(1);
      expectArchivedRowsMatch(dataDir, rows, () => t.expected);
      expect(partials(dataDir)).toEqual([]);
      // The armed fault, and only it, fired exactly as often as it was armed (the trickle under
      // a cut body: on every try, the cut ones and the last).
      expect(faults.fired).toEqual({
        [armed.fault.type]: armed.times,
        ...(armed.cuts ? { slow_body: armed.times + 1 } : {}),
      });
      expect(elsewhere.fired).toEqual({});
      // Each cut was continued from the bytes already kept, not fetched again from 0.
      const resumedAt = rangeStarts(world.storage);
      expect(resumedAt).toHaveLength(armed.cuts ? armed.times : 0);
      for (const start of resumedAt) expect(start).toBeGreaterThan(0);
    });

    it('stuck processing ends pending with its reason, listed, exit 1', async () => {
      const t = await target(provider);
      t.api.inject({ type: 'stuck_processing' }, { times: Number.POSITIVE_INFINITY });
      const result = await run(t);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/1 not ready/);
      const [row] = recordings(dataDir);
      expect(row!.state).toBe('pending');
      expect(row!.last_error).toMatch(/progress|processing/i);
      expect(result.stdout).toContain(`pending  ${row!.remote_id}: ${row!.last_error}`);
      expect(mediaFiles(dataDir)).toEqual([]);
    });

    it('malformed JSON ends in a clear error, exit 1', async () => {
      const t = await target(provider);
      t.api.inject(
        { type: 'malformed_json' },
        { match: t.recordingPath, times: Number.POSITIVE_INFINITY },
      );
      const result = await run(t);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/JSON/);
      expect(recordings(dataDir).filter((r) => r.state === 'archived')).toEqual([]);
      expect(mediaFiles(dataDir)).toEqual([]);
    });
  });
});
