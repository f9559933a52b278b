import fs from 'node:fs';
import path from 'node:path';
import { parseCommand, positiveInt, requireString } from '../args.ts';
import type { CliIo } from '../io.ts';
import { withApi } from '../open-engine.ts';
import { Output, printHelp } from '../output.ts';
import { unwrap } from '../refusal.ts';
import { EXIT_OK, UsageError } from '../usage-error.ts';

export const SCHEDULE_HELP = `Usage:
  recvault schedule print --account N (--every Nh | --daily HH:MM) [--window DAYS]
                          [--from-file PATH] [--json]

Prints the unattended sync of an account, ready to install: a crontab line, a systemd service
and timer pair, a launchd agent (macOS) and a Windows Task Scheduler (schtasks) command. Each
runs "recvault sync --account N --since <window>d --quiet" (Kallglot, which cannot list by date:
--from-file with the ids to sync). --window is the rolling window in days (default 7).
In the app, a schedule per account runs while the app is open (Settings › Schedules).`;

const OPTIONS = {
  account: { type: 'string' },
  every: { type: 'string' },
  daily: { type: 'string' },
  window: { type: 'string' },
  'from-file': { type: 'string' },
} as const;

export async function scheduleCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') return printHelp(io, SCHEDULE_HELP);
  if (sub !== 'print') {
    throw new UsageError(`Unknown schedule command "${sub}". Run "recvault schedule --help".`);
  }
  const { values, positionals } = parseCommand(rest, OPTIONS);
  if (values.help) return printHelp(io, SCHEDULE_HELP);
  if (positionals.length) throw new UsageError('schedule print takes no arguments.');
  const accountName = requireString(values.account, '--account');
  if ((values.every === undefined) === (values.daily === undefined)) {
    throw new UsageError('Give --every Nh (such as 6h) or --daily HH:MM.');
  }
  let everyHours: number | null = null;
  if (values.every !== undefined) {
    const match = /^(\d{1,3})h?$/.exec(values.every.trim());
    everyHours = match ? Number(match[1]) : NaN;
    if (!Number.isInteger(everyHours) || everyHours < 1 || everyHours > 168) {
      throw new UsageError('--every takes hours from 1h to 168h, such as 6h.');
    }
  }
  const dailyAt = values.daily ?? null;
  if (dailyAt !== null && !/^([01]\d|2[0-3]):[0-5]\d$/.test(dailyAt)) {
    throw new UsageError('--daily takes a time such as 02:30 (24-hour clock).');
  }
  const windowDays = positiveInt(values.window, '--window') ?? 7;
  const fromFile = values['from-file'] ? path.resolve(values['from-file']) : null;
  const out = new Output(io, values.json);
  return withApi(io, values['data-dir'], {}, async (api) => {
    // The entries name the data directory: a scheduler's environment is not this shell's.
    const { dataDir } = await unwrap(api.appInfo({}));
    const entries = await unwrap(
      api.schedulePrint({
        accountName,
        everyHours,
        dailyAt,
        windowDays,
        fromFile,
        program: programArgv(),
        dataDir,
      }),
    );
    out.result(entries, () => [
      '# crontab (crontab -e)',
      entries.crontab.trimEnd(),
      '',
      `# systemd: ~/.config/systemd/user/${entries.systemdUnit}.service`,
      entries.systemdService.trimEnd(),
      '',
      `# systemd: ~/.config/systemd/user/${entries.systemdUnit}.timer`,
      `# then: systemctl --user enable --now ${entries.systemdUnit}.timer`,
      entries.systemdTimer.trimEnd(),
      '',
      `# launchd (macOS): ~/Library/LaunchAgents/${entries.launchdLabel}.plist`,
      `# then: launchctl load ~/Library/LaunchAgents/${entries.launchdLabel}.plist`,
      entries.launchdPlist.trimEnd(),
      '',
      '# Windows Task Scheduler (cmd.exe)',
      entries.schtasks.map(windowsArg).join(' '),
    ]);
    return EXIT_OK;
  });
}

/**
 * How this recvault was started: node and the CLI script (its real path, so an npx or npm
 * bin symlink is followed), or a packaged binary that is its own script.
 */
function programArgv(): string[] {
  const script = process.argv[1];
  if (!script || path.resolve(script) === process.execPath) return [process.execPath];
  return [process.execPath, fs.realpathSync(path.resolve(script))];
}

/** One argument on a cmd.exe line. */
function windowsArg(arg: string): string {
  return /^[A-Za-z0-9_@+=:,./\\-]+$/.test(arg) ? arg : `"${arg.replace(/"/g, '\\"')}"`;
}
