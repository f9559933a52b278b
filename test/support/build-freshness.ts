// Whether out/ was built from the sources as they are now. Tests of the built CLI, the bridge,
// the preload bundle and the CSP read out/, so on a stale build they would test old code.
import fs from 'node:fs';
import path from 'node:path';

/** What `npm run build` reads (relative to the repository root). */
export const BUILD_SOURCES = ['main', 'preload', 'renderer', 'electron.vite.config.ts'];

/** Files under the sources that the build never bundles: tests and their helpers. */
function bundled(relative: string): boolean {
  return !/\.test\.ts$/.test(relative) && !relative.split('/').includes('test-support');
}

function filesUnder(root: string, relative: string): string[] {
  const full = path.join(root, relative);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [relative];
  return (fs.readdirSync(full, { recursive: true, encoding: 'utf8' }) as string[])
    .map((f) => path.posix.join(relative, f.split(path.sep).join('/')))
    .filter((f) => fs.statSync(path.join(root, f)).isFile());
}

export interface StaleBuild {
  /** The newest source changed after the build, relative to the root. */
  source: string;
  sourceChanged: Date;
  /** When the oldest file of out/ was written. */
  built: Date;
}

/**
 * The newest source changed after out/ was written, or null when out/ is current. Throws when
 * out/ holds no build at all.
 */
export function staleBuild(root: string): StaleBuild | null {
  const outputs = filesUnder(root, 'out');
  if (outputs.length === 0) throw new Error(`${path.join(root, 'out')} is empty or missing`);
  const built = Math.min(...outputs.map((f) => fs.statSync(path.join(root, f)).mtimeMs));
  let newest: { source: string; changed: number } | null = null;
  for (const source of BUILD_SOURCES.flatMap((s) => filesUnder(root, s)).filter(bundled)) {
    const changed = fs.statSync(path.join(root, source)).mtimeMs;
    if (changed > built && (newest === null || changed > newest.changed))
      newest = { source, changed };
  }
  return (
    newest && {
      source: newest.source,
      sourceChanged: new Date(newest.changed),
      built: new Date(built),
    }
  );
}

/** Throws a message that names the newest changed source and says what to run. */
export function assertFreshBuild(root: string): void {
  let stale: StaleBuild | null;
  try {
    stale = staleBuild(root);
  } catch (error) {
    throw new Error(`${(error as Error).message}: run "npm run build" first.`, { cause: error });
  }
  if (stale) {
    throw new Error(
      `out/ is older than its sources: ${stale.source} changed at ` +
        `${stale.sourceChanged.toISOString()}, after the build of ${stale.built.toISOString()}. ` +
        `Run "npm run build" before the tests of the build.`,
    );
  }
}
