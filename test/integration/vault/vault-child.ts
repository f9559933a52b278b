// The process vault-sync.test.ts kills mid-upload: `recvault vault sync` on argv[2], in this
// process; RECVAULT_TEST_VAULT_KILL_AFTER=N makes it SIGKILL itself right after its N-th PUT.
import { Readable } from 'node:stream';
import { runCli } from '../../../main/cli/main.ts';

const [dataDir] = process.argv.slice(2) as [string];
const code = await runCli(['vault', 'sync', '--data-dir', dataDir], {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: Readable.from([]),
  env: process.env,
});
process.exit(code);
