// Lets each bench file run on its own: `node bench/<name>.ts` prints its table.
import type { BenchResult } from './results.ts';
import { consoleTable } from './results.ts';

export async function runStandalone(run: () => Promise<BenchResult>): Promise<void> {
  const result = await run();
  process.stdout.write(`${consoleTable([result])}\n\n`);
  for (const note of result.notes) process.stdout.write(`- ${note}\n`);
}
