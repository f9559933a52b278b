// The process rename-to-readable.test.ts kills mid-rename: opens the engine on argv[2] (which
// renames an archive of old names on opening); RECVAULT_TEST_RENAME_KILL_AFTER=<n>:<step> makes
// it SIGKILL itself after that step of the n-th file. Plain `node` (type stripping).
import { CLI_ENGINE_OPTIONS } from '../../../main/cli/engine-options.ts';
import { openEngine } from '../../../main/core/engine.ts';

const [dataDir] = process.argv.slice(2) as [string];
const engine = await openEngine({ dataDir, ...CLI_ENGINE_OPTIONS });
await engine.close();
process.stdout.write('opened\n');
