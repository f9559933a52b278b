// An export by query (issue 14), through the built CLI: it exports what is archived and lists
// the matching recordings it skipped and why, instead of refusing the whole export.
import path from 'node:path';
import yauzl from 'yauzl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliOk } from '../../support/cli.ts';
import { newDataDir, startWorld, type World } from '../../support/engine.ts';
import { tempDir } from '../../support/tmp.ts';

let world: World;
let dataDir: string;
beforeEach(async () => {
  world = await startWorld();
  dataDir = newDataDir();
});
afterEach(async () => {
  await world.close();
});

function zipNames(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const names: string[] = [];
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.readEntry();
    });
  });
}

describe('export by query', () => {
  it('exports what is archived and lists the failed and processing matches it skipped, with why', async () => {
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const archived = await world.envoy.addAudioCall({
      callTime: hoursAgo(5),
      phoneNumber: '+15557770001',
    });
    const failed = world.envoy.addCall({
      callTime: hoursAgo(6),
      recordingStatus: 'FAILED',
      phoneNumber: '+15557770001',
    });
    const processing = world.envoy.addCall({
      callTime: hoursAgo(7),
      recordingStatus: 'PROCESSING',
      phoneNumber: '+15557770001',
    });
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
      ['sync', '--account', 'EV', '--since', '2d', '--max-wait', '0'],
      env,
    );
    expect(sync.code).toBe(1);

    const zip = path.join(tempDir(), 'matter.zip');
    const run = await runCli(dataDir, ['export', '--zip', zip, '--query', '5557770001'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`skipped\\s+${failed.id} \\(recording \\d+\\): failed`));
    expect(run.stdout).toMatch(
      new RegExp(`skipped\\s+${processing.id} \\(recording \\d+\\): waiting for the provider`),
    );
    expect(run.stdout).toMatch(/Exported 1 file\(s\).*Skipped 2 not archived/);
    const media = (await zipNames(zip)).filter((n) => n.endsWith('.m4a'));
    expect(media).toHaveLength(1);
    expect(media[0]).toContain(archived.id.slice(0, 12));

    const json = await runCli(
      dataDir,
      ['export', '--out', path.join(tempDir(), 'f'), '--query', '5557770001', '--json'],
      env,
    );
    const body = JSON.parse(json.stdout) as { skipped: { remoteId: string; state: string }[] };
    expect(body.skipped.map((s) => [s.remoteId, s.state]).sort()).toEqual(
      [
        [failed.id, 'failed'],
        [processing.id, 'pending'],
      ].sort(),
    );

    const nothing = await runCli(
      dataDir,
      ['export', '--zip', path.join(tempDir(), 'n.zip'), '--query', failed.id],
      env,
    );
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/Nothing archived matches/);
    expect(nothing.stderr).toContain(failed.id);
  });
});
