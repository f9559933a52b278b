import { describe, expect, it } from 'vitest';
import type { ScheduleEntries } from '../../../main/core/contract/compliance.ts';
import { newDataDir } from '../../support/engine.ts';
import { recvault, recvaultOk } from '../compliance/in-process-cli.ts';

// `recvault schedule print` as a user runs it: the entries name this recvault, the account and
// the data directory; what a scheduler cannot do is refused with exit code 2.

async function withAccounts(): Promise<string> {
  const dataDir = newDataDir();
  const env = { ENVOY_TOKEN: 'x', KG_KEY: 'y' };
  await recvaultOk(
    dataDir,
    [
      'account',
      'add',
      'envoy',
      '--name',
      'Calls',
      '--api-key-env',
      'ENVOY_TOKEN',
      '--base-url',
      'http://127.0.0.1:9/api/v1',
    ],
    env,
  );
  await recvaultOk(
    dataDir,
    [
      'account',
      'add',
      'kallglot',
      '--name',
      'KG',
      '--api-key-env',
      'KG_KEY',
      '--base-url',
      'http://127.0.0.1:9',
    ],
    env,
  );
  return dataDir;
}

describe('recvault schedule print', () => {
  it('prints the five entries for a rolling-window sync of the account', async () => {
    const dataDir = await withAccounts();
    const printed = await recvaultOk(dataDir, [
      'schedule',
      'print',
      '--account',
      'Calls',
      '--every',
      '6h',
    ]);
    for (const heading of [
      '# crontab',
      '.service',
      '.timer',
      '# launchd',
      '# Windows Task Scheduler',
    ]) {
      expect(printed.stdout).toContain(heading);
    }
    const json = JSON.parse(
      (
        await recvaultOk(dataDir, [
          'schedule',
          'print',
          '--account',
          'Calls',
          '--daily',
          '02:30',
          '--window',
          '3',
          '--json',
        ])
      ).stdout,
    ) as ScheduleEntries;
    expect(json.command.slice(-8)).toEqual([
      'sync',
      '--account',
      'Calls',
      '--since',
      '3d',
      '--quiet',
      '--data-dir',
      dataDir,
    ]);
    expect(json.command[0]).toBe(process.execPath);
    expect(json.crontab).toMatch(/^30 2 \* \* \* /m);
    expect(json.systemdTimer).toContain('OnCalendar=*-*-* 02:30:00');
  });

  it('refuses what a scheduler cannot run: Kallglot without ids, odd intervals, no interval', async () => {
    const dataDir = await withAccounts();
    const kallglot = await recvault(dataDir, [
      'schedule',
      'print',
      '--account',
      'KG',
      '--every',
      '6h',
    ]);
    expect(kallglot.code).toBe(2);
    expect(kallglot.stderr).toContain('--from-file');
    const withIds = await recvaultOk(dataDir, [
      'schedule',
      'print',
      '--account',
      'KG',
      '--every',
      '6h',
      '--from-file',
      'ids.csv',
      '--json',
    ]);
    expect((JSON.parse(withIds.stdout) as ScheduleEntries).command).toContain('--from-file');
    for (const args of [['--every', '30h'], ['--every', '0h'], ['--daily', '25:00'], []]) {
      const refused = await recvault(dataDir, ['schedule', 'print', '--account', 'Calls', ...args]);
      expect(refused.code, args.join(' ')).toBe(2);
    }
    expect(
      (await recvault(dataDir, ['schedule', 'print', '--account', 'Nope', '--every', '6h'])).code,
    ).toBe(2);
  });
});
