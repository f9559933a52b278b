import path from 'node:path';
import { inProcessApi, type InProcessApi } from '../core/api/in-process-client.ts';
import { openEngine, type EngineOptions } from '../core/engine.ts';
import { defaultDataDir } from '../core/paths.ts';
import { CLI_ENGINE_OPTIONS } from './engine-options.ts';
import type { CliIo } from './io.ts';

/** What a command may choose for its run, beside the data directory. */
export type RunOptions = Pick<
  EngineOptions,
  'secretOverride' | 'concurrency' | 'resumeInterrupted' | 'maxInRunWaitMs'
>;

/**
 * Opens the same engine and data directory as the app (--data-dir, else RECVAULT_DATA_DIR,
 * else the app's), hands `run` the contract's API over it, and closes the engine after.
 */
export async function withApi<T>(
  io: CliIo,
  dataDirFlag: string | undefined,
  options: RunOptions,
  run: (api: InProcessApi) => Promise<T>,
): Promise<T> {
  const dataDir = dataDirFlag
    ? path.resolve(dataDirFlag)
    : defaultDataDir({ env: io.env, platform: process.platform, homedir: homeDir(io) });
  const engine = await openEngine({ dataDir, env: io.env, ...CLI_ENGINE_OPTIONS, ...options });
  try {
    return await run(
      inProcessApi(engine.handlers, engine.events, (channel, error) =>
        io.stderr.write(
          `recvault: unexpected error in ${channel}: ${error instanceof Error ? error.message : String(error)}\n`,
        ),
      ),
    );
  } finally {
    await engine.close();
  }
}

function homeDir(io: CliIo): string {
  return io.env.HOME ?? io.env.USERPROFILE ?? process.cwd();
}
