// "No recording" is not a failure (issue 14), per provider through the built CLI: an Envoy call
// listed with no recording, an Envoy call whose recording endpoint answers 404 "Recording not
// found" after the call ended, a Kore.ai session answering media_unavailable after its call
// ended. Each is recorded as no_recording, left out of "failed", and the run exits 0; a call or
// session still going on stays "not ready" (exit 1).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliOk } from '../../support/cli.ts';
import { recordings } from '../../support/data-dir.ts';
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
  job: { state: string; totals: Record<string, number> };
  problems: { remoteId: string; state: string; error: string | null }[];
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const stateOf = (remoteId: string) =>
  recordings(dataDir).find((r) => r.remote_id === remoteId)?.state;

describe('Envoy: no recording', () => {
  const env = () => ({ EV_KEY: world.envoy.apiKey });
  async function addAccount(): Promise<void> {
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
        'EV_KEY',
      ],
      env(),
    );
  }

  it('a call listed with none and one whose recording is "not found" after it ended: exit 0, not failed', async () => {
    const archived = await world.envoy.addAudioCall({ callTime: hoursAgo(5) });
    const listedNone = world.envoy.addCall({ callTime: hoursAgo(6), recordingStatus: 'NONE' });
    // Listed as available, but GET /calls/{id}/recording answers 404 "Recording not found".
    const notFound = world.envoy.addCall({ callTime: hoursAgo(7), recordingStatus: 'AVAILABLE' });
    await addAccount();

    const run = await runCli(
      dataDir,
      ['sync', '--account', 'EV', '--since', '2d', '--json'],
      env(),
    );
    expect(run.code, run.stderr).toBe(0);
    const [result] = JSON.parse(run.stdout) as SyncJson[];
    expect(result!.job.totals).toMatchObject({
      discovered: 3,
      archived: 1,
      failed: 0,
      noRecording: 2,
    });
    expect(stateOf(archived.id)).toBe('archived');
    expect(stateOf(listedNone.id)).toBe('no_recording');
    expect(stateOf(notFound.id)).toBe('no_recording');

    const text = await runCliOk(dataDir, ['sync', '--account', 'EV', '--since', '2d'], env());
    expect(text.stdout).toMatch(
      /0 failed, 0 deleted by the provider, 2 with no recording, of 3 found/,
    );
    expect(text.stdout).toMatch(new RegExp(`no_recording\\s+${notFound.id}: No recording`));
  });

  it('a call still in progress without a recording stays not ready: exit 1', async () => {
    const live = world.envoy.addCall({
      callTime: hoursAgo(0),
      status: 'IN_PROGRESS',
      recordingStatus: 'AVAILABLE',
    });
    await addAccount();
    const run = await runCli(
      dataDir,
      ['sync', '--account', 'EV', '--call', live.id, '--max-wait', '0', '--json'],
      env(),
    );
    expect(run.code, run.stderr).toBe(1);
    expect(stateOf(live.id)).toBe('pending');
  });
});

describe('Kore.ai: no recording', () => {
  const env = () => ({ KA_SECRET: world.koreai.clientSecret });
  async function addAccount(): Promise<void> {
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
      env(),
    );
  }

  it('media_unavailable after the session ended (from getSessions end_time): no recording, exit 0', async () => {
    const ok = await world.koreai.addAudioSession({
      userId: 'u1@example.com',
      startTime: hoursAgo(3),
    });
    const none = world.koreai.addSession({
      userId: 'u1@example.com',
      startTime: hoursAgo(4),
      endTime: hoursAgo(3.9),
      status: 'media_unavailable',
    });
    await addAccount();
    const run = await runCli(
      dataDir,
      ['sync', '--account', 'KA', '--since', '1d', '--until', '0m', '--max-wait', '0', '--json'],
      env(),
    );
    expect(run.code, run.stderr).toBe(0);
    const [result] = JSON.parse(run.stdout) as SyncJson[];
    expect(result!.job.totals).toMatchObject({
      archived: 1,
      failed: 0,
      pending: 0,
      noRecording: 1,
    });
    expect(stateOf(`${none.sessionId}:session`)).toBe('no_recording');
    expect(
      recordings(dataDir)
        .filter((r) => r.session_id === ok.sessionId)
        .map((r) => r.state),
    ).toEqual(['archived']);
  });

  it('media_unavailable while the call is not over yet stays not ready: exit 1', async () => {
    const live = world.koreai.addSession({
      userId: 'u1@example.com',
      startTime: hoursAgo(0.1),
      endTime: new Date(Date.now() + 3_600_000).toISOString(),
      status: 'media_unavailable',
    });
    await addAccount();
    const run = await runCli(
      dataDir,
      ['sync', '--account', 'KA', '--since', '1d', '--until', '0m', '--max-wait', '0'],
      env(),
    );
    expect(run.code, run.stderr).toBe(1);
    expect(stateOf(`${live.sessionId}:session`)).toBe('pending');
  });
});
