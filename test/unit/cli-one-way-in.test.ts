import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/built.ts';

// One way in: a CLI command reaches the engine only through the contract and the in-process
// client over the handler table, so its requests are parsed, refused, audited and announced
// exactly as the app's and the bridge's. A command that imports a service, the database or the
// engine itself, or runs SQL, bypasses all of that.

const COMMANDS = 'main/cli/commands';
const ALLOWED_ENGINE_MODULES = [
  /^main\/core\/contract\/[^/]+\.ts$/,
  /^main\/core\/api\/in-process-client\.ts$/,
];

function importsOf(source: string): string[] {
  return [
    ...source.matchAll(
      /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]/g,
    ),
  ].map((m) => (m[1] ?? m[2])!);
}

/** What a command file does that bypasses the contract, one line each. */
function bypasses(file: string, source: string): string[] {
  const found = importsOf(source).flatMap((spec) => {
    if (spec === 'better-sqlite3') return [`${file} imports ${spec}`];
    if (!spec.startsWith('.')) return [];
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    if (!target.startsWith('main/')) return [];
    if (!target.startsWith('main/core/')) return [];
    return ALLOWED_ENGINE_MODULES.some((allowed) => allowed.test(target))
      ? []
      : [`${file} imports ${target}`];
  });
  if (/\.prepare\(|\b(SELECT|INSERT|UPDATE|DELETE)\s+.*\b(FROM|INTO|SET)\b/.test(source)) {
    found.push(`${file} runs SQL`);
  }
  return found;
}

function commandFiles(): string[] {
  return fs
    .readdirSync(path.join(repoRoot, COMMANDS), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${COMMANDS}/${f.split(path.sep).join('/')}`);
}

describe('the CLI has one way in', () => {
  it('catches a command reaching past the contract', () => {
    const file = `${COMMANDS}/export.ts`;
    expect(bypasses(file, `import type { Engine } from '../../core/engine.ts';`)).toEqual([
      `${file} imports main/core/engine.ts`,
    ]);
    expect(
      bypasses(file, `import { verifyAudit } from '../../core/audit/verify-audit.ts';`),
    ).toEqual([`${file} imports main/core/audit/verify-audit.ts`]);
    expect(bypasses(file, `import Database from 'better-sqlite3';`)).toHaveLength(1);
    expect(
      bypasses(file, "const rows = db.prepare('SELECT id FROM recordings WHERE remote_id = ?');"),
    ).toEqual([`${file} runs SQL`]);
    expect(
      bypasses(
        file,
        [
          `import type { JobView } from '../../core/contract/types.ts';`,
          `import { inProcessApi } from '../../core/api/in-process-client.ts';`,
          `import { withApi } from '../open-engine.ts';`,
          `import fs from 'node:fs';`,
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('every command imports only the contract and the in-process client of the engine', () => {
    const files = commandFiles();
    expect(files.length).toBeGreaterThanOrEqual(5);
    const found = files.flatMap((file) =>
      bypasses(file, fs.readFileSync(path.join(repoRoot, file), 'utf8')),
    );
    expect(found).toEqual([]);
  });
});
