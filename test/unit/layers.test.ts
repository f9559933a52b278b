import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/built.ts';

// Belt and braces beside the lint rule: the layers of ARCHITECTURE.md, checked on the sources.
function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|svelte)$/.test(f))
    .map((f) => path.join(dir, f));
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
  return [
    ...text.matchAll(
      /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]/g,
    ),
  ].map((m) => (m[1] ?? m[2])!);
}

function resolved(file: string, spec: string): string {
  return spec.startsWith('.') ? path.normalize(path.join(path.dirname(file), spec)) : spec;
}

describe('layers', () => {
  it('main/core never imports electron or the shells around it', () => {
    const bad = sourceFiles('main/core').flatMap((file) =>
      importsOf(file)
        .map((spec) => resolved(file, spec))
        .filter(
          (spec) =>
            /^electron(\/|$)/.test(spec) ||
            /^(main\/(app|cli|bridge)|renderer|preload)\//.test(spec),
        )
        .map((spec) => `${file} → ${spec}`),
    );
    expect(bad).toEqual([]);
  });

  it('renderer imports no Node, no Electron and nothing of main but the contract', () => {
    const bad = sourceFiles('renderer').flatMap((file) =>
      importsOf(file)
        .map((spec) => resolved(file, spec))
        .filter(
          (spec) =>
            /^(node:|electron(\/|$))/.test(spec) ||
            (/^(main|preload)\//.test(spec) && !/^main\/core\/contract\/[^/]+$/.test(spec)),
        )
        .map((spec) => `${file} → ${spec}`),
    );
    expect(bad).toEqual([]);
  });
});
