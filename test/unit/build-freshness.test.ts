import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertFreshBuild, staleBuild } from '../support/build-freshness.ts';
import { tempDir } from '../support/tmp.ts';

const BUILT = new Date('2026-01-01T12:00:00Z');

/** A checkout with each source written at its time and one build written at BUILT. */
function checkout(sources: Record<string, Date>): string {
  const root = tempDir('recvault-freshness-');
  const write = (relative: string, time: Date): void => {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, relative);
    fs.utimesSync(file, time, time);
  };
  for (const output of ['out/main/cli.js', 'out/preload/index.cjs', 'out/renderer/index.html'])
    write(output, BUILT);
  for (const [source, time] of Object.entries(sources)) write(source, time);
  return root;
}

const before = new Date(BUILT.getTime() - 60_000);
const after = (s: number) => new Date(BUILT.getTime() + s * 1000);

describe('build freshness guard', () => {
  it('accepts out/ written after every source', () => {
    const root = checkout({ 'main/core/engine.ts': before, 'electron.vite.config.ts': before });
    expect(staleBuild(root)).toBeNull();
    expect(() => assertFreshBuild(root)).not.toThrow();
  });

  it('refuses out/ older than a source, naming the newest changed one', () => {
    const root = checkout({
      'main/core/engine.ts': after(5),
      'preload/index.ts': after(30),
      'renderer/src/App.svelte': after(10),
      'main/cli/index.ts': before,
    });
    expect(staleBuild(root)?.source).toBe('preload/index.ts');
    expect(() => assertFreshBuild(root)).toThrow(
      /preload\/index\.ts changed at .* Run "npm run build"/,
    );
  });

  it('watches the build config as a source', () => {
    const root = checkout({ 'electron.vite.config.ts': after(1) });
    expect(staleBuild(root)?.source).toBe('electron.vite.config.ts');
  });

  it('ignores tests and test helpers beside the sources, which the build never bundles', () => {
    const root = checkout({
      'renderer/src/App.test.ts': after(60),
      'renderer/src/test-support/fake-api.ts': after(60),
      'renderer/src/App.svelte': before,
    });
    expect(staleBuild(root)).toBeNull();
  });

  it('refuses a checkout that was never built', () => {
    const root = tempDir('recvault-freshness-');
    fs.mkdirSync(path.join(root, 'main'));
    expect(() => assertFreshBuild(root)).toThrow(/out is empty or missing: run "npm run build"/);
  });
});
