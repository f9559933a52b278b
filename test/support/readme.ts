// The README read as a test reads a claim: its ```sh examples split into commands (comments
// dropped, `\` continuations joined, `&&` chains split, quotes honoured) and its file layout.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './built.ts';

export const README = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

/** One command line of an example: its words, as a shell would pass them. */
export type ShellCommand = string[];

/** The words of one line, honouring quotes; a `#` that starts a word begins a comment. */
function words(line: string): string[] {
  const out: string[] = [];
  let current: string | null = null;
  let quote: '"' | "'" | null = null;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current ??= '';
    } else if (/\s/.test(ch)) {
      if (current !== null) out.push(current);
      current = null;
    } else if (ch === '#' && current === null) {
      break;
    } else {
      current = (current ?? '') + ch;
    }
  }
  if (quote) throw new Error(`unbalanced quote in README line: ${line}`);
  if (current !== null) out.push(current);
  return out;
}

/** Every command of every ```sh block, in order. */
export function readmeShellCommands(readme = README): ShellCommand[] {
  const commands: ShellCommand[] = [];
  for (const [, block] of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const lines = block!.replace(/\\\n/g, ' ').split('\n');
    for (const line of lines) {
      let command: string[] = [];
      for (const word of words(line)) {
        if (word === '&&') {
          commands.push(command);
          command = [];
        } else command.push(word);
      }
      if (command.length > 0) commands.push(command);
    }
  }
  return commands;
}

/** The archive layout the README's "What lands on disk" promises, e.g. `archive/<provider>/…`. */
export function readmeArchiveLayout(readme = README): string {
  const section = /## What lands on disk\n([\s\S]*?)\n## /.exec(readme)?.[1];
  const layout = section && /`(archive\/[^`]+)`/.exec(section)?.[1];
  if (!layout) throw new Error('README has no archive layout under "What lands on disk"');
  return layout;
}
