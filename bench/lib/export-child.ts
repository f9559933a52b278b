// Runs one export in its own process as the app and the CLI run it: the engine's export
// manager (selection from the index, plan, ffmpeg, checksums, manifests, its export row and
// audit entries), and prints a JSON line with the outcome.
//
// Usage: node bench/lib/export-child.ts <dataDir> <outDir> <optionsJson>
import { CLI_ENGINE_OPTIONS } from '../../main/cli/engine-options.ts';
import { parseExportOptions } from '../../main/core/contract/export-options.ts';
import { libraryQuerySchema } from '../../main/core/contract/requests.ts';
import { openEngine } from '../../main/core/engine.ts';

const [dataDir, outDir, optionsJson] = process.argv.slice(2);
if (!dataDir || !outDir || !optionsJson) {
  process.stderr.write('usage: export-child.ts DATA_DIR OUT_DIR OPTIONS_JSON\n');
  process.exit(2);
}
const engine = await openEngine({ dataDir, ...CLI_ENGINE_OPTIONS, env: {} });
// Every archived recording, as "export the library" selects it.
const started = engine.exports.start({
  recordingIds: [],
  query: libraryQuerySchema.parse({}),
  destination: { kind: 'folder', path: outDir },
  options: parseExportOptions(JSON.parse(optionsJson) as Record<string, unknown>),
});
const ended = await engine.exports.wait(started.id);
const audit = engine.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number };
await engine.close();
process.stdout.write(
  `${JSON.stringify({ state: ended.export.state, totals: ended.summary?.totals ?? null, auditEntries: audit.n })}\n`,
);
