import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { archivedKallglotSession } from '../../support/engine.ts';
import { tempDir } from '../../support/tmp.ts';
import { recvaultIn } from '../custody/cli-run.ts';
import { readDat } from './read-loadfiles.ts';

// The officer's commands as the README types them: a DAT + EDRM production in a bag, and a
// regulator's sec-audio zip; then the flags that do not fit together, refused by name.

describe('recvault export, productions', () => {
  it('--load-file dat,edrm --control-prefix/--control-start, and --profile sec-audio', async () => {
    const session = await archivedKallglotSession('sess_PRODCLI');
    const dataDir = session.engine.paths.dataDir;
    const ids = session.ids.map(String);
    await session.close();
    const root = tempDir('recvault-prod-cli-');
    const env = {
      HOME: path.join(root, 'home'),
      RECVAULT_KEY_FILE: path.join(root, 'keys', 'signing-key.pem'),
    };
    expect((await recvaultIn(dataDir, ['key', 'init'], env)).code).toBe(0);

    const out = path.join(root, 'acme-2026-03');
    const produced = await recvaultIn(
      dataDir,
      [
        'export',
        '--out',
        out,
        '--bag',
        '--load-file',
        'dat,edrm',
        '--control-prefix',
        'ACME-',
        '--control-start',
        '7',
        ...ids,
      ],
      env,
    );
    expect(produced.stderr).toBe('');
    expect(produced.code).toBe(0);
    expect(produced.stdout).toMatch(
      /Production ACME-00000007–ACME-00000009: loadfile\.dat \(SHA-256 [0-9a-f]{64}\), loadfile\.xml/,
    );
    const dat = readDat(fs.readFileSync(path.join(out, 'data', 'loadfile.dat')));
    expect(dat.rows.map((r) => r['Control Number'])).toEqual([
      'ACME-00000007',
      'ACME-00000008',
      'ACME-00000009',
    ]);
    expect(fs.existsSync(path.join(out, 'data', 'loadfile.xml'))).toBe(true);

    const zip = path.join(root, 'for-the-regulator.zip');
    const regulator = await recvaultIn(
      dataDir,
      ['export', '--zip', zip, '--profile', 'sec-audio', '--organization', 'Acme Ltd', ...ids],
      env,
    );
    expect(regulator.stderr).toBe('');
    expect(regulator.code).toBe(0);
    const listing = spawnSync('unzip', ['-l', zip], { encoding: 'utf8' }).stdout;
    expect(listing).toMatch(/for-the-regulator\/data\/metadata\.csv/);
    expect(listing.match(/\.mp3\n/g)).toHaveLength(3);

    const plainZip = await recvaultIn(
      dataDir,
      ['export', '--zip', path.join(root, 'plain.zip'), '--load-file', 'dat', ...ids],
      env,
    );
    expect(plainZip.code).not.toBe(0);
    expect(plainZip.stderr).toMatch(/not in a plain zip/);
    expect(fs.existsSync(path.join(root, 'plain.zip'))).toBe(false);
    const flac = await recvaultIn(
      dataDir,
      [
        'export',
        '--zip',
        path.join(root, 'flac.zip'),
        '--profile',
        'sec-audio',
        '--format',
        'flac',
        ...ids,
      ],
      env,
    );
    expect(flac.code).not.toBe(0);
    expect(flac.stderr).toMatch(/mp3 or wav/);
    const unknown = await recvaultIn(
      dataDir,
      ['export', '--out', out, '--load-file', 'opt', ...ids],
      env,
    );
    expect(unknown.stderr).toMatch(/--load-file takes dat or edrm/);
  });
});
