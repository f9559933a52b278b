import os from 'node:os';
import path from 'node:path';
import { APP_NAME } from './version.ts';

export interface PathEnv {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homedir: string;
}

const currentPathEnv = (): PathEnv => ({
  env: process.env,
  platform: process.platform,
  homedir: os.homedir(),
});

/**
 * The data directory shared by the app and the CLI: `RECVAULT_DATA_DIR` when set, else the
 * folder Electron's `app.getPath('userData')` gives for this app on each platform, so that
 * both find the same archive without configuration.
 */
export function defaultDataDir(pathEnv: PathEnv = currentPathEnv()): string {
  const fromEnv = pathEnv.env.RECVAULT_DATA_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  return path.join(platformAppDataDir(pathEnv), APP_NAME);
}

/** Electron's `appData`: %APPDATA%, ~/Library/Application Support, or $XDG_CONFIG_HOME. */
export function platformAppDataDir({ env, platform, homedir }: PathEnv): string {
  if (platform === 'win32') return env.APPDATA ?? path.join(homedir, 'AppData', 'Roaming');
  if (platform === 'darwin') return path.join(homedir, 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME || path.join(homedir, '.config');
}

export interface DataPaths {
  dataDir: string;
  archiveDir: string;
  indexPath: string;
  cacheDir: string;
}

export function dataPaths(dataDir: string): DataPaths {
  return {
    dataDir,
    archiveDir: path.join(dataDir, 'archive'),
    indexPath: path.join(dataDir, 'index.sqlite'),
    cacheDir: path.join(dataDir, 'cache'),
  };
}
