// The app's half of two-processes.test.ts: an engine opened as the app opens it, on the data
// directory a `recvault sync` is archiving into, editing notes and tags, verifying and
// exporting in rounds until told to stop. Prints {errors, rounds, last} as JSON.
// Run with node --experimental-transform-types.
import fs from 'node:fs';
import path from 'node:path';
import { dispatchRequest } from '../../../main/core/api/dispatch.ts';
import type { RequestChannel } from '../../../main/core/contract/channels.ts';
import type { RequestArgs, RequestResults } from '../../../main/core/contract/requests.ts';
import { openEngine } from '../../../main/core/engine.ts';

const [dataDir, exportRoot, stopFile, idList] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
const ids = idList.split(',').map(Number);
const engine = await openEngine({ dataDir, statisticsRefreshMs: null, env: {} });

async function ask<K extends RequestChannel>(
  channel: K,
  args: RequestArgs<K>,
): Promise<RequestResults[K]> {
  const result = await dispatchRequest(engine.handlers, channel, args, (_, error) => {
    throw error;
  });
  if (!result.ok) throw new Error(`${channel}: ${result.code}: ${result.message}`);
  return result.value as RequestResults[K];
}

const errors: string[] = [];
const last: Record<number, { notes: string; tags: string[] }> = {};
let rounds = 0;
async function attempt(what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    errors.push(`round ${rounds} ${what}: ${(error as Error).message}`);
  }
}

while (rounds < 3 || !fs.existsSync(stopFile)) {
  rounds += 1;
  // Many small read-then-write transactions, each a chance for the sync's commits to land
  // between its read and its write.
  for (const id of ids.flatMap((id) => Array.from({ length: 40 }, () => id))) {
    const change = { notes: `round ${rounds} of ${id}`, tags: [`round-${rounds}`, 'edited'] };
    await attempt(`edit ${id}`, async () => {
      await ask('recordingUpdate', { id, ...change });
      last[id] = change;
    });
  }
  await attempt('verify archive', async () => {
    const report = await ask('verifyArchive', {});
    if (report.missing.length || report.altered.length) throw new Error(JSON.stringify(report));
  });
  for (let i = 0; i < 10; i++) {
    await attempt('verify audit', async () => {
      const report = await ask('verifyAudit', {});
      if (!report.ok) throw new Error(JSON.stringify(report.problems));
    });
  }
  await attempt('export', async () => {
    const started = await ask('exportStart', {
      recordingIds: ids,
      destination: { kind: 'folder', path: path.join(exportRoot, `round-${rounds}`) },
      options: { format: 'original' },
    } as RequestArgs<'exportStart'>);
    for (;;) {
      const view = (await ask('exportsList', {})).find((x) => x.id === started.id)!;
      if (view.state === 'done') break;
      if (view.state !== 'running') throw new Error(JSON.stringify(view));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
}
await engine.close();
process.stdout.write(JSON.stringify({ errors, rounds, last }) + '\n');
