// `recvault report` through the built CLI over an archive a real sync filled from the Envoy
// fake: archived, failed, waiting (with Envoy's word) and no recording, as JSON, CSV and text.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliOk } from '../../support/cli.ts';
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

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

describe('recvault report', () => {
  it('reports a synced account per state, in JSON, CSV and text, with the period on the recorded date', async () => {
    await world.envoy.addAudioCall({ callTime: hoursAgo(5) });
    await world.envoy.addAudioCall({ callTime: hoursAgo(80) });
    const failed = world.envoy.addCall({ callTime: hoursAgo(6), recordingStatus: 'FAILED' });
    world.envoy.addCall({ callTime: hoursAgo(7), recordingStatus: 'PROCESSING' });
    world.envoy.addCall({ callTime: hoursAgo(8), recordingStatus: 'NONE' });
    const env = { EV_KEY: world.envoy.apiKey };
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
      env,
    );
    const sync = await runCli(
      dataDir,
      ['sync', '--account', 'EV', '--since', '5d', '--max-wait', '0'],
      env,
    );
    expect(sync.code).toBe(1);

    const json = await runCliOk(dataDir, ['report', '--since', '2d', '--json'], env);
    const report = JSON.parse(json.stdout);
    expect(report.period).toMatchObject({ field: 'recorded' });
    expect(report.totals).toMatchObject({
      found: 4,
      archived: 1,
      waiting: 1,
      failed: 1,
      noRecording: 1,
      deleted: 0,
    });
    expect(report.accounts[0].waitingWords).toEqual([{ word: 'PROCESSING', count: 1 }]);
    expect(report.failed.map((f: { remoteId: string }) => f.remoteId)).toEqual([failed.id]);

    const all = JSON.parse(
      (await runCliOk(dataDir, ['report', '--account', 'EV', '--json'], env)).stdout,
    );
    expect(all.totals.found).toBe(5);
    expect(all.totals.archived).toBe(2);

    const csv = (await runCliOk(dataDir, ['report', '--since', '2d', '--csv'], env)).stdout
      .trim()
      .split('\n');
    expect(csv[0]).toBe(
      'account,provider,found,archived,alreadyArchived,waiting,queued,failed,deleted,noRecording,excluded,atRisk',
    );
    expect(csv[1]).toBe('EV,envoy,4,1,0,1,0,1,0,1,0,0');
    expect(csv[2]).toMatch(/^TOTAL,,4,/);

    const text = await runCliOk(dataDir, ['--data-dir', dataDir, 'report', '--since', '2d'], env);
    expect(text.stdout).toMatch(/Completeness report/);
    expect(text.stdout).toMatch(/EV: PROCESSING 1/);
    expect(text.stdout).toMatch(/ 1 {2}The provider failed to produce this recording/);

    const bad = await runCli(dataDir, ['report', '--since', 'last week'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since takes a date/);
  });
});
