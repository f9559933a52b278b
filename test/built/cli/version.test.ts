import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../../package.json' with { type: 'json' };
import { builtFile, repoRoot } from '../../support/built.ts';

const bin = path.join(repoRoot, 'bin/recvault.js');

describe('recvault command', () => {
  it('is declared in package.json bin', () => {
    expect(pkg.bin.recvault).toBe('bin/recvault.js');
  });

  it('prints the version', () => {
    builtFile('main/cli.js');
    const run = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });

  it('exits 2 with a clear message on an unknown command', () => {
    const run = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Unknown command "frobnicate"');
  });
});
