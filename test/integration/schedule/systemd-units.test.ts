import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { scheduleEntries, syncArgs } from '../../../main/core/schedule/print-entries.ts';
import { repoRoot } from '../../support/built.ts';
import { tempDir } from '../../support/tmp.ts';

// The systemd service + timer `recvault schedule print` writes, checked by systemd itself
// (`systemd-analyze verify`, Debian's systemd package, installed by .ci/run when missing).

const run = promisify(execFile);
const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => fs.existsSync(p));

function units(everyHours: number | null, dailyAt: string | null, accountName: string) {
  const entries = scheduleEntries({
    accountName,
    everyHours,
    dailyAt,
    // ExecStart= must name an executable that exists: verify checks it.
    program: [process.execPath, path.join(repoRoot, 'bin', 'recvault.js')],
    secretEnv: 'ENVOY_KEY',
    args: syncArgs({ accountName, windowDays: 7, dataDir: '/srv/recvault data', fromFile: null }),
  });
  const dir = tempDir('recvault-units-');
  fs.writeFileSync(path.join(dir, `${entries.systemdUnit}.service`), entries.systemdService);
  fs.writeFileSync(path.join(dir, `${entries.systemdUnit}.timer`), entries.systemdTimer);
  return { dir, entries };
}

async function verify(dir: string, unit: string): Promise<string> {
  const result = await run(
    analyze!,
    ['verify', '--man=no', path.join(dir, `${unit}.service`), path.join(dir, `${unit}.timer`)],
    { env: { ...process.env, SYSTEMD_LOG_LEVEL: 'warning' } },
  ).catch((error: { stdout: string; stderr: string; code: number }) => error);
  return `${result.stdout}${result.stderr}`;
}

describe.skipIf(!analyze)('schedule print: systemd units', () => {
  it.each([
    [6, null, 'Prod Envoy'],
    [null, '02:30', 'Night 100%'],
    [48, null, 'Every other day'],
  ] as const)(
    'every %s h / daily %s (%s): systemd-analyze verify finds nothing',
    async (every, daily, name) => {
      const { dir, entries } = units(every, daily, name);
      const output = await verify(dir, entries.systemdUnit);
      // Only lines about our files count (the container's own units may be noisy).
      const ours = output.split('\n').filter((line) => line.includes(entries.systemdUnit));
      expect(ours, output).toEqual([]);
    },
  );

  it('proves it can fail: a broken timer is reported', async () => {
    const { dir, entries } = units(6, null, 'Broken');
    fs.writeFileSync(
      path.join(dir, `${entries.systemdUnit}.timer`),
      entries.systemdTimer.replace(/OnCalendar=.*/, 'OnCalendar=every sixth hour'),
    );
    const output = await verify(dir, entries.systemdUnit);
    expect(output).toMatch(/OnCalendar|calendar/i);
  });
});
