// The README's first command, `npm install && npm start`, on a machine that has never fetched
// the Electron binary. Real npm runs the real package.json scripts and scripts/ensure-electron.mjs
// in a temporary copy of the project whose node_modules holds stand-ins: an `electron` package
// whose installer "fetches" a stand-in binary (or fails, as offline), and an `electron-vite` /
// `electron-builder` that find Electron exactly as electron-vite 6 does (path.txt, or fail with
// "Electron uninstall"). The order is what is tested: fetch before start, dev and dist; never
// for build or test.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/built.ts';
import { tempDir } from '../../support/tmp.ts';

const ELECTRON_VERSION = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'node_modules/electron/package.json'), 'utf8'),
).version as string;

/** Appends one line to the copy's log.txt: what ran, in order. */
const LOG = `const log = (line) => require('node:fs').appendFileSync(require('node:path').join(process.env.PROJECT_DIR, 'log.txt'), line + '\\n');`;

const STAND_IN_INSTALLER = `#!/usr/bin/env node
${LOG}
const fs = require('node:fs');
const path = require('node:path');
log('fetch electron');
if (process.env.STAND_IN_OFFLINE) {
  console.error('RequestError: getaddrinfo ENOTFOUND github.com');
  process.exit(1);
}
const dist = path.join(__dirname, 'dist');
fs.mkdirSync(dist, { recursive: true });
fs.writeFileSync(path.join(dist, 'electron'), "#!/bin/sh\\necho \\"electron ran $*\\" >> \\"$PROJECT_DIR/log.txt\\"\\n", { mode: 0o755 });
fs.writeFileSync(path.join(dist, 'version'), 'v' + require('./package.json').version);
fs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron');
`;

/** electron-vite 6's getElectronPath(), then the command it runs. */
const STAND_IN_ELECTRON_VITE = `#!/usr/bin/env node
${LOG}
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const command = process.argv[2];
log('electron-vite ' + command);
if (command === 'build') process.exit(0);
const electronDir = path.join(process.cwd(), 'node_modules/electron');
const pathFile = path.join(electronDir, 'path.txt');
if (!fs.existsSync(pathFile)) {
  console.error('Error: Electron uninstall');
  process.exit(1);
}
execFileSync(path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8')), ['out/main/index.js']);
`;

const STAND_IN_ELECTRON_BUILDER = `#!/usr/bin/env node
${LOG}
const fs = require('node:fs');
const path = require('node:path');
const ok = fs.existsSync(path.join(process.cwd(), 'node_modules/electron/path.txt'));
log('electron-builder ' + (ok ? 'packaged' : 'found no electron'));
process.exit(ok ? 0 : 1);
`;

function projectCopy(): string {
  const dir = tempDir('recvault-first-command-');
  fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(dir, 'package.json'));
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.copyFileSync(
    path.join(repoRoot, 'scripts/ensure-electron.mjs'),
    path.join(dir, 'scripts/ensure-electron.mjs'),
  );
  const electron = path.join(dir, 'node_modules/electron');
  fs.mkdirSync(electron, { recursive: true });
  fs.writeFileSync(
    path.join(electron, 'package.json'),
    JSON.stringify({ name: 'electron', version: ELECTRON_VERSION, main: 'index.js' }),
  );
  fs.writeFileSync(path.join(electron, 'install.js'), STAND_IN_INSTALLER);
  const bin = path.join(dir, 'node_modules/.bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'electron-vite'), STAND_IN_ELECTRON_VITE, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'electron-builder'), STAND_IN_ELECTRON_BUILDER, {
    mode: 0o755,
  });
  return dir;
}

function npmRun(dir: string, script: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
    PROJECT_DIR: dir,
    npm_config_update_notifier: 'false',
    npm_config_offline: 'true',
    ...extraEnv,
  };
  // A new user's shell has none of these (and .ci/run sets the first).
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  delete env.ELECTRON_EXEC_PATH;
  for (const key of Object.keys(env)) if (key.startsWith('npm_lifecycle')) delete env[key];
  Object.assign(env, extraEnv);
  const run = spawnSync('npm', ['run', script], { cwd: dir, env, encoding: 'utf8' });
  const logFile = path.join(dir, 'log.txt');
  const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n') : [];
  return { status: run.status, stderr: run.stderr, log };
}

describe('npm install && npm start on a machine without the Electron binary', () => {
  it('npm start fetches Electron first, says so, then starts it; the next start does not fetch', () => {
    const dir = projectCopy();
    const first = npmRun(dir, 'start');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toContain(`Fetching the Electron ${ELECTRON_VERSION} binary`);
    expect(first.log).toEqual([
      'fetch electron',
      'electron-vite preview',
      'electron ran out/main/index.js',
    ]);

    const second = npmRun(dir, 'start');
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).not.toContain('Fetching');
    expect(second.log.filter((line) => line === 'fetch electron')).toHaveLength(1);
  });

  it.each([
    ['dev', ['fetch electron', 'electron-vite dev', 'electron ran out/main/index.js']],
    ['dist', ['fetch electron', 'electron-vite build', 'electron-builder packaged']],
  ])('npm run %s fetches Electron first', (script, expected) => {
    const dir = projectCopy();
    const run = npmRun(dir, script);
    expect(run.status, run.stderr).toBe(0);
    expect(run.log).toEqual(expected);
  });

  it('offline: fails before starting, in words, with what to do', () => {
    const dir = projectCopy();
    const run = npmRun(dir, 'start', { STAND_IN_OFFLINE: '1' });
    expect(run.status).not.toBe(0);
    expect(run.log).toEqual(['fetch electron']);
    expect(run.stderr).toContain(`Recvault could not get the Electron ${ELECTRON_VERSION} binary`);
    for (const hint of [
      'npm run dev:web',
      'HTTPS_PROXY',
      'ELECTRON_GET_USE_PROXY',
      'ELECTRON_MIRROR',
    ]) {
      expect(run.stderr).toContain(hint);
    }
    expect(run.stderr).not.toContain('Electron uninstall');
  });

  it('ELECTRON_SKIP_BINARY_DOWNLOAD: fetches nothing and says why start cannot run', () => {
    const dir = projectCopy();
    const run = npmRun(dir, 'start', { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(run.status).not.toBe(0);
    expect(run.log).toEqual([]);
    expect(run.stderr).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD is set');
  });

  it('an Electron chosen with ELECTRON_EXEC_PATH is used as it is', () => {
    const dir = projectCopy();
    const executable = path.join(dir, 'my-electron');
    fs.writeFileSync(executable, '#!/bin/sh\n', { mode: 0o755 });
    const run = npmRun(dir, 'predev', { ELECTRON_EXEC_PATH: executable });
    expect(run.status, run.stderr).toBe(0);
    expect(run.log).toEqual([]);
  });

  it('build, prepare and the test scripts never fetch (npm test and .ci/run stay offline)', () => {
    const dir = projectCopy();
    for (const script of ['build', 'prepare']) {
      const run = npmRun(dir, script);
      expect(run.status, run.stderr).toBe(0);
    }
    expect(npmRun(dir, 'build').log.every((line) => line === 'electron-vite build')).toBe(true);
    const scripts = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'))
      .scripts as Record<string, string>;
    const fetching = Object.keys(scripts).filter((name) =>
      scripts[name]!.includes('ensure-electron'),
    );
    expect(fetching.sort()).toEqual(['predev', 'predist', 'prestart']);
  });
});
