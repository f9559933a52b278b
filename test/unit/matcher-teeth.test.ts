import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/built.ts';

// In this Vitest, `toMatchObject({ message: /x/ })` passes whatever the message says: a bare
// RegExp as an expected property value is not matched against the string. Such a check can
// never fail, so every one must be `expect.stringMatching(/x/)`.

/** The argument text of each `toMatchObject(…)` call, with the line it starts on. */
function toMatchObjectArguments(source: string): { line: number; text: string }[] {
  const found: { line: number; text: string }[] = [];
  const opener = 'toMatchObject(';
  for (let at = source.indexOf(opener); at !== -1; at = source.indexOf(opener, at + 1)) {
    let end = at + opener.length;
    for (let depth = 1; depth > 0 && end < source.length; end += 1) {
      if (source[end] === '(') depth += 1;
      else if (source[end] === ')') depth -= 1;
    }
    found.push({ line: source.slice(0, at).split('\n').length, text: source.slice(at, end) });
  }
  return found;
}

/** A regular-expression literal given as a property's expected value. */
const BARE_REGEX_VALUE = /\w\s*:\s*\/(?:[^/\n\\*]|\\.)(?:[^/\n\\]|\\.)*\/[dgimsuvy]*\s*[,}\n]/;

export function bareRegexChecks(file: string, source: string): string[] {
  return toMatchObjectArguments(source)
    .filter(({ text }) => BARE_REGEX_VALUE.test(text))
    .map(({ line }) => `${file}:${line}`);
}

describe('matchers that can fail', () => {
  it('finds a bare RegExp property in toMatchObject, and accepts expect.stringMatching', () => {
    const bad = "expect(e).toMatchObject({\n  kind: 'x',\n  message: /needs its key/,\n});";
    const good = 'expect(e).toMatchObject({ message: expect.stringMatching(/needs its key/) });';
    expect(bareRegexChecks('a.ts', bad)).toEqual(['a.ts:1']);
    expect(bareRegexChecks('b.ts', good)).toEqual([]);
  });

  it('no test expects a property to match a bare RegExp in toMatchObject', () => {
    const files = ['test', 'renderer/src', 'main'].flatMap((dir) =>
      fs
        .readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
        .filter((file) => /\.(?:test|spec)\.ts$/.test(file))
        .map((file) => path.join(dir, file)),
    );
    // This file names the pattern in its own examples.
    const others = files.filter(
      (file) => file !== path.join('test', 'unit', 'matcher-teeth.test.ts'),
    );
    expect(files.length).toBeGreaterThan(50);
    const offenders = others.flatMap((file) =>
      bareRegexChecks(file, fs.readFileSync(path.join(repoRoot, file), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
