// "every command takes --help": each command the top-level help lists, and each subcommand
// its own help shows (`recvault account add …`, `recvault audit verify`), answers --help with
// its usage and exit code 0, without touching a data directory.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import { newDataDir } from '../../support/engine.ts';

/** The commands under "Commands:" in `recvault --help`. */
function listedCommands(topHelp: string): string[] {
  const section = /\nCommands:\n([\s\S]*?)\n\s*\n/.exec(topHelp)?.[1] ?? '';
  return [...section.matchAll(/^\s+([a-z][a-z-]*)\s/gm)].map((m) => m[1]!);
}

/** The subcommands a command's usage lines show: `recvault <command> <sub> …`. */
function listedSubcommands(command: string, help: string): string[] {
  const pattern = new RegExp(`recvault ${command} ([a-z][a-z-]*)\\b`, 'g');
  return [...new Set([...help.matchAll(pattern)].map((m) => m[1]!))];
}

describe('--help', () => {
  it('works on every command and subcommand', async () => {
    const dataDir = newDataDir();
    const top = await runCli(dataDir, ['--help']);
    expect(top.code).toBe(0);
    const commands = listedCommands(top.stdout);
    expect(commands).toEqual(
      expect.arrayContaining(['account', 'sync', 'search', 'verify', 'audit', 'reindex', 'export']),
    );
    const asked: string[] = [];
    for (const command of commands) {
      const help = await runCli(dataDir, [command, '--help']);
      expect(help.code, `${command} --help: ${help.stderr}`).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`Usage:[\\s\\S]*recvault ${command}\\b`));
      asked.push(command);
      for (const sub of listedSubcommands(command, help.stdout)) {
        const subHelp = await runCli(dataDir, [command, sub, '--help']);
        expect(subHelp.code, `${command} ${sub} --help: ${subHelp.stderr}`).toBe(0);
        expect(subHelp.stdout).toContain(`recvault ${command} ${sub}`);
        asked.push(`${command} ${sub}`);
      }
    }
    expect(asked).toEqual(
      expect.arrayContaining([
        'account add',
        'account list',
        'account test',
        'account edit',
        'account remove',
        'audit verify',
      ]),
    );
    // Asking for help creates nothing.
    expect(fs.existsSync(path.join(dataDir, 'index.sqlite'))).toBe(false);
  });
});
