// `recvault schedule print`: the same unattended sync as a crontab line, a systemd service +
// timer, a launchd agent and a Windows Task Scheduler command. Pure text, no system calls.
import { AppError } from '../app-error.ts';
import type { ScheduleEntries } from '../contract/compliance.ts';

export interface PrintRequest {
  accountName: string;
  everyHours: number | null;
  dailyAt: string | null;
  /** The command's own arguments after the program (sync --account … --since 7d …). */
  args: string[];
  /** How to start recvault: [node, script] or [binary]. */
  program: string[];
  /** The environment variable holding the account's secret, when it has one. */
  secretEnv: string | null;
}

/** The sync a scheduler runs: quiet, a rolling window, the data directory spelled out. */
export function syncArgs(options: {
  accountName: string;
  windowDays: number;
  dataDir: string;
  fromFile: string | null;
}): string[] {
  const window = options.fromFile
    ? ['--from-file', options.fromFile]
    : ['--since', `${options.windowDays}d`];
  return [
    'sync',
    '--account',
    options.accountName,
    ...window,
    '--quiet',
    '--data-dir',
    options.dataDir,
  ];
}

/** A minute past the hour that differs between accounts, so runs do not all start at :00. */
function minuteOf(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 60;
}

/** A file-name and label-safe slug of the account name. */
export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'account'
  );
}

export function scheduleEntries(request: PrintRequest): ScheduleEntries {
  const { everyHours, dailyAt } = request;
  if ((everyHours === null) === (dailyAt === null)) {
    throw new AppError('invalid_arguments', 'Give --every Nh or --daily HH:MM.');
  }
  if (everyHours !== null && everyHours >= 24 && everyHours % 24 !== 0) {
    throw new AppError(
      'invalid_arguments',
      'Over 24 hours, --every takes whole days (24h, 48h, 72h…): cron and Task Scheduler cannot repeat otherwise.',
    );
  }
  const command = [...request.program, ...request.args];
  const name = slug(request.accountName);
  const minute = dailyAt ? Number(dailyAt.slice(3)) : minuteOf(request.accountName);
  const hour = dailyAt ? Number(dailyAt.slice(0, 2)) : 0;
  return {
    command,
    systemdUnit: `recvault-sync-${name}`,
    launchdLabel: `com.recvault.sync.${name}`,
    crontab: crontab(command, everyHours, hour, minute, request.secretEnv),
    systemdService: systemdService(command, request.accountName, request.secretEnv),
    systemdTimer: systemdTimer(request.accountName, name, everyHours, hour, minute),
    launchdPlist: launchd(command, name, everyHours, hour, minute),
    schtasks: schtasks(command, name, everyHours, hour, minute),
  };
}

const two = (n: number) => String(n).padStart(2, '0');

/** POSIX shell quoting for a crontab line (cron runs it with /bin/sh); % is special to cron. */
function shellWord(word: string): string {
  const quoted = /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
  return quoted.replace(/%/g, '\\%');
}

function crontab(
  command: string[],
  everyHours: number | null,
  hour: number,
  minute: number,
  secretEnv: string | null,
): string {
  let when: string;
  if (everyHours === null) when = `${minute} ${hour} * * *`;
  else if (everyHours < 24) when = `${minute} */${everyHours} * * *`;
  else when = `${minute} 0 */${everyHours / 24} * *`;
  const lines = [
    '# Recvault unattended sync (crontab -e). Exit code 1 means some recordings failed.',
    ...(secretEnv
      ? [`# The account's key is read from ${secretEnv}: define it above this line.`]
      : []),
    `${when} ${command.map(shellWord).join(' ')}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** One word of an ExecStart= line: systemd's own quoting; % and $ are specifiers there. */
function systemdWord(word: string): string {
  const escaped = word.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return /^[A-Za-z0-9_@+=:,./-]+$/.test(escaped)
    ? escaped
    : `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function systemdService(command: string[], accountName: string, secretEnv: string | null): string {
  return [
    '[Unit]',
    `Description=Recvault sync of account ${accountName.replace(/%/g, '%%')}`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=oneshot',
    ...(secretEnv
      ? [
          `# ${secretEnv} holds the account's key: keep it in this file, readable by you only.`,
          'EnvironmentFile=-%h/.config/recvault/env',
        ]
      : []),
    `ExecStart=${command.map(systemdWord).join(' ')}`,
    '',
  ].join('\n');
}

function systemdTimer(
  accountName: string,
  name: string,
  everyHours: number | null,
  hour: number,
  minute: number,
): string {
  let when: string[];
  if (everyHours === null)
    when = [`OnCalendar=*-*-* ${two(hour)}:${two(minute)}:00`, 'Persistent=true'];
  else if (everyHours < 24)
    when = [`OnCalendar=*-*-* 00/${everyHours}:${two(minute)}:00`, 'Persistent=true'];
  else when = ['OnBootSec=15min', `OnUnitActiveSec=${everyHours}h`];
  return [
    '[Unit]',
    `Description=Run the Recvault sync of account ${accountName.replace(/%/g, '%%')}`,
    '',
    '[Timer]',
    ...when,
    `Unit=recvault-sync-${name}.service`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
}

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function launchd(
  command: string[],
  name: string,
  everyHours: number | null,
  hour: number,
  minute: number,
): string {
  const when =
    everyHours === null
      ? [
          '  <key>StartCalendarInterval</key>',
          '  <dict>',
          `    <key>Hour</key><integer>${hour}</integer>`,
          `    <key>Minute</key><integer>${minute}</integer>`,
          '  </dict>',
        ]
      : ['  <key>StartInterval</key>', `  <integer>${everyHours * 3600}</integer>`];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key>',
    `  <string>com.recvault.sync.${xml(name)}</string>`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...command.map((word) => `    <string>${xml(word)}</string>`),
    '  </array>',
    ...when,
    '  <key>RunAtLoad</key>',
    '  <false/>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/** One argument of schtasks /TR: the task's command line, each word quoted for Windows. */
function windowsWord(word: string): string {
  return /^[A-Za-z0-9_@+=:,./\\-]+$/.test(word) ? word : `"${word.replace(/"/g, '\\"')}"`;
}

function schtasks(
  command: string[],
  name: string,
  everyHours: number | null,
  hour: number,
  minute: number,
): string[] {
  const schedule =
    everyHours === null
      ? ['/SC', 'DAILY', '/ST', `${two(hour)}:${two(minute)}`]
      : everyHours < 24
        ? ['/SC', 'HOURLY', '/MO', String(everyHours), '/ST', `00:${two(minute)}`]
        : ['/SC', 'DAILY', '/MO', String(everyHours / 24), '/ST', `00:${two(minute)}`];
  return [
    'schtasks',
    '/Create',
    '/TN',
    `Recvault\\sync-${name}`,
    '/TR',
    command.map(windowsWord).join(' '),
    ...schedule,
    '/F',
  ];
}
