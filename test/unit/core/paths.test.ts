import { describe, expect, it } from 'vitest';
import { dataPaths, defaultDataDir } from '../../../main/core/paths.ts';

describe('data directory', () => {
  it('uses RECVAULT_DATA_DIR when set', () => {
    expect(
      defaultDataDir({
        env: { RECVAULT_DATA_DIR: '/srv/rec' },
        platform: 'linux',
        homedir: '/home/a',
      }),
    ).toBe('/srv/rec');
  });

  it("matches Electron's userData folder on each platform", () => {
    expect(defaultDataDir({ env: {}, platform: 'linux', homedir: '/home/a' })).toBe(
      '/home/a/.config/Recvault',
    );
    expect(
      defaultDataDir({ env: { XDG_CONFIG_HOME: '/x' }, platform: 'linux', homedir: '/h' }),
    ).toBe('/x/Recvault');
    expect(defaultDataDir({ env: {}, platform: 'darwin', homedir: '/Users/a' })).toBe(
      '/Users/a/Library/Application Support/Recvault',
    );
    expect(
      defaultDataDir({
        env: { APPDATA: 'C:/Users/a/AppData/Roaming' },
        platform: 'win32',
        homedir: 'C:/Users/a',
      }),
    ).toMatch(/AppData[\\/]Roaming[\\/]Recvault$/);
  });

  it('keeps the archive, index and cache inside the data directory', () => {
    const paths = dataPaths('/d');
    expect(paths.archiveDir).toBe('/d/archive');
    expect(paths.indexPath).toBe('/d/index.sqlite');
    expect(paths.cacheDir).toBe('/d/cache');
  });
});
