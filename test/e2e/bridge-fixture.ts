import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';

export interface RunningBridge {
  /** Opens the Library first (as these tests were written for); `homeUrl` opens the home. */
  url: string;
  homeUrl: string;
  origin: string;
  dataDir: string;
  process: ChildProcess;
}

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Starts the built bridge (`out/main/bridge.js`) on a fresh data directory. */
export async function startBridgeProcess(
  env: NodeJS.ProcessEnv = {},
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recvault-e2e-')),
): Promise<RunningBridge> {
  const bridgeJs = path.join(repoRoot, 'out/main/bridge.js');
  if (!fs.existsSync(bridgeJs)) throw new Error('out/main/bridge.js missing: run "npm run build".');
  const child = spawn(process.execPath, [bridgeJs, '--data-dir', dataDir, '--port', '0'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`bridge did not start: ${stderr}`)), 15_000);
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /Recvault bridge: (\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`bridge exited ${code}: ${stderr}`)));
  });
  const home = url;
  return {
    url: home.replace('/#', '/?screen=library#'),
    homeUrl: home,
    origin: new URL(url).origin,
    dataDir,
    process: child,
  };
}

export async function stopBridgeProcess(bridge: RunningBridge): Promise<void> {
  if (bridge.process.exitCode === null) {
    const exited = new Promise((resolve) => bridge.process.once('exit', resolve));
    bridge.process.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(bridge.dataDir, { recursive: true, force: true });
}

export const test = base.extend<{ bridge: RunningBridge }>({
  // Playwright requires the destructuring pattern for fixture dependencies, even when empty.
  // eslint-disable-next-line no-empty-pattern
  bridge: async ({}, use) => {
    const bridge = await startBridgeProcess();
    await use(bridge);
    await stopBridgeProcess(bridge);
  },
});

export { expect } from '@playwright/test';
