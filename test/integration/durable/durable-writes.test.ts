// settings.json, secrets.json, the bridge key file and exports (folder and zip) reach the disk
// before they are named or recorded: traced with strace in a child process, each file's bytes
// are fsynced before the rename or link that gives it its name, and its folder after.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../support/tmp.ts';

const CHILD = path.join(import.meta.dirname, 'durable-writer-child.ts');

interface Call {
  name: string;
  /** Paths in the call: strace -y shows a descriptor's path after it, quoted paths as given. */
  paths: string[];
}

function trace(dir: string): Call[] {
  const log = path.join(tempDir(), 'strace.log');
  const run = spawnSync(
    'strace',
    [
      '-f',
      '-y',
      '-qq',
      '-e',
      'trace=fsync,fdatasync,rename,renameat,renameat2,link,linkat',
      '-e',
      'signal=none',
      '-o',
      log,
      process.execPath,
      // The modules it imports may use syntax plain type stripping refuses.
      '--experimental-transform-types',
      '--no-warnings',
      CHILD,
      dir,
    ],
    { encoding: 'utf8' },
  );
  expect(run.status, run.stderr).toBe(0);
  return fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .map((line) => /^\d+\s+(\w+)\((.*)\)\s+=\s+0$/.exec(line))
    .filter((m) => m !== null)
    .map((m) => ({
      name: m[1]!,
      paths: [...m[2]!.matchAll(/<([^>]+)>|"([^"]+)"/g)].map((p) => p[1] ?? p[2]!),
    }));
}

/** Index of the call that gave `target` its name (a rename or link onto it). */
function publishedAt(calls: Call[], target: string): number {
  const at = calls.findIndex((c) => /^(rename|link)/.test(c.name) && c.paths.at(-1) === target);
  expect(at, `${target} was never renamed or linked into place`).toBeGreaterThanOrEqual(0);
  return at;
}

function isSync(call: Call, file: string): boolean {
  return /^f(data)?sync$/.test(call.name) && call.paths[0] === file;
}

describe('durable writes', () => {
  it('every file is flushed before it is named, and its folder after', () => {
    const dir = fs.realpathSync(tempDir());
    const calls = trace(dir);
    const targets = [
      path.join(dir, 'settings.json'),
      path.join(dir, 'secrets.json'),
      path.join(dir, 'bridge-secrets.key'),
      path.join(dir, 'out', 'call.wav'),
      path.join(dir, 'out', 'SHA256SUMS'),
      path.join(dir, 'calls.zip'),
    ];
    for (const target of targets) {
      const at = publishedAt(calls, target);
      const source = calls[at]!.paths[0]!;
      expect(
        calls.slice(0, at).some((c) => isSync(c, source)),
        `${path.basename(target)}: its bytes were not fsynced before it was named`,
      ).toBe(true);
      expect(
        calls.slice(at).some((c) => isSync(c, path.dirname(target))),
        `${path.basename(target)}: its folder was not fsynced after it was named`,
      ).toBe(true);
    }
    expect(fs.readFileSync(path.join(dir, 'bridge-secrets.key')).length).toBe(32);
  });
});
