// Global setup of the `built` Vitest project and of Playwright: refuse to test a stale out/.
// Refusing (rather than building here) keeps a test run from rewriting out/ under other runs
// in the same checkout, and `npm test` builds before it tests anyway.
import { assertFreshBuild } from './build-freshness.ts';
import { repoRoot } from './built.ts';

export default function setup(): void {
  assertFreshBuild(repoRoot);
}
