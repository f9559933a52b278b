#!/usr/bin/env node
// Runs before `npm start`, `npm run dev` and `npm run dist`. Electron 45 fetches its binary on
// first use rather than at `npm install`, but electron-vite only looks for the file the fetch
// writes (node_modules/electron/path.txt) and fails with a bare "Electron uninstall" without it.
// So the binary is fetched here, once, with Electron's own installer, saying what happens and
// what to do when it cannot be fetched. Tests and CI never run this: they need no Electron.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const say = (line) => process.stderr.write(`${line}\n`);

function electronPackage() {
  try {
    const manifest = require.resolve('electron/package.json');
    return { dir: path.dirname(manifest), version: require(manifest).version };
  } catch {
    say('Electron is not installed in node_modules: run "npm install" first.');
    process.exit(1);
  }
}

/**
 * The executable electron-vite will start, found as electron-vite finds it (ELECTRON_EXEC_PATH,
 * else dist/ + path.txt), or null while it is missing.
 */
function installedExecutable(dir) {
  const chosen = process.env.ELECTRON_EXEC_PATH;
  if (chosen) return fs.existsSync(chosen) ? chosen : null;
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const relative = fs.readFileSync(pathFile, 'utf8');
  const executable = path.join(dir, 'dist', relative);
  return relative && fs.existsSync(executable) ? executable : null;
}

function cannotFetch(version, why) {
  say('');
  say(`Recvault could not get the Electron ${version} binary: ${why}`);
  say('What to do:');
  say('  - Offline: connect to the internet and run the command again. Until then,');
  say('    "npm run dev:web" runs the same app in your browser without Electron, and');
  say('    "npx recvault --help" is the command line.');
  say(
    '  - Behind a proxy: set HTTPS_PROXY=http://proxy.example:8080 and ELECTRON_GET_USE_PROXY=1.',
  );
  say('  - Through a mirror: set ELECTRON_MIRROR=https://mirror.example/electron/.');
  say('  - An Electron already on disk: set ELECTRON_EXEC_PATH to its executable.');
  say('Then fetch it with "npx install-electron" or run the command again.');
  process.exit(1);
}

const { dir, version } = electronPackage();
if (installedExecutable(dir)) process.exit(0);

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  cannotFetch(version, 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it is not fetched.');
}
say(`Fetching the Electron ${version} binary (about 100 MB, once; later starts skip this)…`);
const installer = path.join(dir, 'install.js');
const run = spawnSync(process.execPath, [installer], { stdio: 'inherit' });
if (run.error) cannotFetch(version, run.error.message);
if (run.status !== 0) cannotFetch(version, 'the download failed (its error is above).');
if (!installedExecutable(dir)) cannotFetch(version, 'the download ended without the binary.');
say('Electron is ready.');
