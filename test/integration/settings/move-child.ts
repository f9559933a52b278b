// The process move-archive-crash.test.ts kills mid-move: opens the engine on argv[2] and moves
// the archive to argv[3]; RECVAULT_TEST_MOVE_KILL_AFTER makes it SIGKILL itself after a step.
// Plain `node` (type stripping).
import { openEngine } from '../../../main/core/engine.ts';

const [dataDir, target] = process.argv.slice(2) as [string, string];
const engine = await openEngine({ dataDir, statisticsRefreshMs: null });
await engine.handlers.settingsUpdate({ archiveDir: target });
await engine.close();
process.stdout.write('moved\n');
