import { APP_VERSION } from '../core/version.ts';
import { EXIT_OK, EXIT_USAGE, UsageError } from './usage-error.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

export const TOP_HELP = `recvault ${APP_VERSION}: archive call recordings before the provider deletes them

Usage: recvault <command> [options]

Commands:
  account   add, list, test, edit or remove provider accounts
  sync      archive recordings of an account
  search    search the archive's index
  verify    re-hash every archived file against the index and sidecars
  audit     verify the tamper-evident audit log
  reindex   rebuild the index from the archive's files and sidecars
  export    export recordings (converted, with manifests and checksums)

Global options:
  --data-dir DIR   the data directory (default: RECVAULT_DATA_DIR, else the app's)
  --json           machine-readable output
  --help, -h       help for any command
  --version, -V    print the version
`;

/** Runs the CLI and returns its exit code: 0 all done, 1 some items failed, 2 bad usage. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(TOP_HELP);
      return command === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (command === '--version' || command === '-V') {
      io.stdout.write(`${APP_VERSION}\n`);
      return EXIT_OK;
    }
    throw new UsageError(`Unknown command "${command}". Run "recvault --help".`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`recvault: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
