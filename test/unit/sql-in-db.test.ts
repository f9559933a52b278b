import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/built.ts';

// SQL lives in main/core/db/: services call its named functions and never hold the SQLite
// handle's own methods or a statement's text. (A `prepare(` that is not SQL, such as an export
// destination's `prepare(outputNames)`, has another receiver and no SQL text, so it passes.)
const DB_DIR = 'main/core/db/';

const RULES: { name: string; pattern: RegExp }[] = [
  {
    name: 'a method of the SQLite handle',
    // `db.prepare(`, `this.#db.transaction(`, `engine.db\n  .exec(`, `indexDb.pragma(`…
    pattern:
      /\b\w*db\s*\.\s*(?:prepare|exec|transaction|pragma|function|aggregate|table|backup|serialize|loadExtension)\s*\(/i,
  },
  {
    name: 'a statement prepared or run from its text',
    pattern: /\.\s*(?:prepare|exec)\s*\(\s*['"`]/,
  },
  {
    name: 'SQL text',
    pattern:
      /['"`]\s*(?:SELECT\s[^'"`]*?\sFROM\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(?:TABLE|INDEX|TRIGGER)\s|PRAGMA\s)/,
  },
  { name: 'the SQLite driver', pattern: /from\s+['"]better-sqlite3['"]/ },
];

/** The source without its comments, so prose about `db.transaction(` is not code. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/^\s*\/\/.*$/gm, '');
}

function findings(file: string, text: string): string[] {
  const source = code(text);
  return RULES.flatMap(({ name, pattern }) => {
    const match = new RegExp(pattern.source, `${pattern.flags}g`).exec(source);
    if (!match) return [];
    const line = source.slice(0, match.index).split('\n').length;
    return [`${file}:${line}: ${name} (${match[0].replace(/\s+/g, ' ').slice(0, 60)})`];
  });
}

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(dir, file).split(path.sep).join('/'));
}

describe('SQL lives in main/core/db/', () => {
  it('no file of main/ outside it prepares, runs or writes SQL, or opens a transaction', () => {
    const files = sources('main').filter((file) => !file.startsWith(DB_DIR));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) =>
      findings(file, fs.readFileSync(path.join(repoRoot, file), 'utf8')),
    );
    expect(found).toEqual([]);
  });

  it('the rules catch SQL in every form it has taken, and pass what is not SQL', () => {
    const caught = [
      `const row = db.prepare('SELECT 1').get();`,
      `this.#deps.db\n  .prepare(sql)\n  .all();`,
      `this.#db.transaction(() => {})();`,
      `engine.db.exec(sql);`,
      `db.pragma('user_version');`,
      `const sql = \`UPDATE recordings SET state = ?\`;`,
      `const sql = 'SELECT id FROM recordings WHERE remote_id = ?';`,
      `statement = handle.prepare(\`DELETE FROM jobs\`);`,
      `import Database from 'better-sqlite3';`,
    ];
    for (const sample of caught) expect(findings('sample.ts', sample), sample).not.toEqual([]);
    const passed = [
      `await destination.prepare([...names, MANIFEST_CSV]);`,
      `async prepare(outputNames: readonly string[]): Promise<void> {`,
      `await this.prepare();`,
      `const match = /^bytes=(\\d*)-(\\d*)$/.exec(header.trim());`,
      `// db.transaction( nests as a savepoint`,
      `/** Select the rows from the list. */`,
      `inTransaction(db, () => setNotes(db, id, notes));`,
    ];
    for (const sample of passed) expect(findings('sample.ts', sample), sample).toEqual([]);
  });
});
