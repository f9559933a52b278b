// Global options may come before the command as well as after it (`recvault --data-dir D
// account list`, as cron lines and wrappers write them). Each command parses them itself, so the
// ones given first are moved behind the command's own arguments; --quiet is the CLI's, not a
// command's, and is taken out wherever it stands.

/** Global options that take a value. */
const VALUED = new Set(['--data-dir']);
/** Global flags a command parses itself. */
const FLAGS = new Set(['--json']);
const QUIET = new Set(['--quiet', '-q']);

export interface GlobalArgs {
  /** The command's argv, global options moved after it (before any `--`). */
  argv: string[];
  /** --quiet: print only errors (for cron). */
  quiet: boolean;
}

function isGlobal(token: string): boolean {
  const name = token.split('=')[0]!;
  return VALUED.has(name) || FLAGS.has(token) || QUIET.has(token);
}

export function hoistGlobalOptions(argv: readonly string[]): GlobalArgs {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length && isGlobal(argv[i]!)) {
    const token = argv[i]!;
    leading.push(token);
    // `--data-dir D`: the value goes along (a missing value is the command's usage error).
    if (VALUED.has(token) && i + 1 < argv.length) leading.push(argv[++i]!);
    i++;
  }
  const rest = argv.slice(i);
  const end = rest.indexOf('--');
  const before = end === -1 ? rest : rest.slice(0, end);
  const after = end === -1 ? [] : rest.slice(end);
  const all = [...before.slice(0, 1), ...before.slice(1), ...leading];
  const quiet = all.some((token) => QUIET.has(token));
  return { argv: [...all.filter((token) => !QUIET.has(token)), ...after], quiet };
}
