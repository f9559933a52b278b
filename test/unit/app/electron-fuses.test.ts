import { describe, expect, it } from 'vitest';
// electron-builder's own reader and schema check: the test sees the file as `npm run dist` does.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { repoRoot } from '../../support/built.ts';

describe('the packaged app', () => {
  it('flips the Electron fuses that let a local user run it as Node or load other code', async () => {
    const config = await getConfig(repoRoot, null, null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});
