import { AppError } from '../core/app-error.ts';
import { DatabaseTooNewError } from '../core/db/errors.ts';
import { APP_VERSION } from '../core/version.ts';
import { accountCommand } from './commands/account.ts';
import { exportCommand } from './commands/export.ts';
import { reportCommand } from './commands/report.ts';
import { searchCommand } from './commands/search.ts';
import { syncCommand } from './commands/sync.ts';
import { disposeCommand } from './commands/dispose.ts';
import { holdCommand } from './commands/hold.ts';
import { retentionCommand } from './commands/retention.ts';
import { scheduleCommand } from './commands/schedule.ts';
import { auditCommand, reindexCommand, verifyCommand } from './commands/verify.ts';
import { checkpointCommand, keyCommand } from './commands/custody.ts';
import { verifyExportCommand } from './commands/verify-export.ts';
import { vaultCommand } from './commands/vault.ts';
import { hoistGlobalOptions } from './global-options.ts';
import type { CliIo } from './io.ts';
import { Refusal } from './refusal.ts';
import { EXIT_BUSY, EXIT_ITEMS_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './usage-error.ts';

export type { CliIo } from './io.ts';

export const TOP_HELP = `recvault ${APP_VERSION}: archive call recordings before the provider deletes them

Usage: recvault [global options] <command> [options]

Commands:
  account   add, list, test, edit or remove provider accounts
  sync      archive recordings of an account
  search    search the archive's index
  verify    re-hash every archived file against the index and sidecars
  audit     verify the tamper-evident audit log (recvault audit verify)
  reindex   rebuild the index from the archive's files and sidecars
  export    export recordings (converted, with manifests and checksums)
  report    the completeness report: found, archived, waiting, failed, no recording, at risk
  key       the signing key: init (once), show, export the public key
  checkpoint  sign (and timestamp) a checkpoint of the audit log and the archive now
  hold      legal holds: create, add recordings, list, release (with a reason)
  retention local retention rules per account or global (keep 90d, 7y or forever)
  dispose   dispose of what the retention rules make eligible (--dry-run, --confirm)
  schedule  print a crontab, systemd, launchd or Task Scheduler entry for a sync
  verify-export  check an export package (BagIt + custody) as its recipient; no archive needed
  vault     the team vault on S3 Object Lock: add, attach, test, status, sync, verify

Global options (before or after the command):
  --data-dir DIR   the data directory (default: RECVAULT_DATA_DIR, else the app's)
  --json           machine-readable output
  --quiet, -q      print only errors (for cron)
  --help, -h       help for any command
  --version, -V    print the version

Exit codes:
  0  done (recordings with no recording at the provider are not failures)
  1  some items failed or are not ready yet (each listed)
  2  bad usage or configuration (unknown option, account, refused key)
  3  busy: another run holds the archive; try again later
`;

const COMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  account: accountCommand,
  sync: syncCommand,
  search: searchCommand,
  verify: verifyCommand,
  audit: auditCommand,
  reindex: reindexCommand,
  export: exportCommand,
  report: reportCommand,
  key: keyCommand,
  checkpoint: checkpointCommand,
  hold: holdCommand,
  retention: retentionCommand,
  dispose: disposeCommand,
  schedule: scheduleCommand,
  'verify-export': verifyExportCommand,
  vault: vaultCommand,
};

/** Runs the CLI and returns its exit code: 0 done, 1 some items failed, 2 bad usage, 3 busy. */
export async function runCli(argv: string[], given: CliIo): Promise<number> {
  const globals = hoistGlobalOptions(argv);
  const io: CliIo = globals.quiet ? { ...given, quiet: true } : given;
  const [command, ...rest] = globals.argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(TOP_HELP);
      return command === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (command === '--version' || command === '-V') {
      io.stdout.write(`${APP_VERSION}\n`);
      return EXIT_OK;
    }
    const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!run) throw new UsageError(`Unknown command "${command}". Run "recvault --help".`);
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`recvault: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof DatabaseTooNewError) {
      io.stderr.write(`recvault: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof Refusal || error instanceof AppError) {
      io.stderr.write(`recvault: ${error.message}\n`);
      if (error.code === 'busy') return EXIT_BUSY;
      const configuration = ['invalid_arguments', 'not_found', 'auth', 'conflict', 'unsupported'];
      return configuration.includes(error.code) ? EXIT_USAGE : EXIT_ITEMS_FAILED;
    }
    throw error;
  }
}
