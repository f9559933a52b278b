import path from 'node:path';
import { inProcessApi, type InProcessApi } from '../core/api/in-process-client.ts';
import { openEngine, type EngineOptions } from '../core/engine.ts';
import { defaultDataDir } from '../core/paths.ts';
import {
  defaultKeyFile,
  isInside,
  keyFileSource,
  type SigningKeySource,
} from '../core/custody/signing-key.ts';
import { CLI_ENGINE_OPTIONS } from './engine-options.ts';
import { UsageError } from './usage-error.ts';
import type { CliIo } from './io.ts';

/** What a command may choose for its run, beside the data directory. */
export type RunOptions = Pick<
  EngineOptions,
  'secretOverride' | 'concurrency' | 'resumeInterrupted' | 'maxInRunWaitMs' | 'tsaUrl'
> & {
  /** --key-file: the signing key for this run (else RECVAULT_KEY_FILE, else the default). */
  keyFile?: string;
};

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
  const { keyFile, ...engineOptions } = options;
  const engine = await openEngine({
    dataDir,
    env: io.env,
    ...CLI_ENGINE_OPTIONS,
    signingKey: cliKeySource(io, dataDir, keyFile),
    tsaUrl: io.env.RECVAULT_TSA_URL || null,
    ...engineOptions,
  });
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

/**
 * The CLI's signing key: a 0600 file outside the data directory (a key kept with the archive
 * would sign whatever whoever holds the archive writes into it).
 */
function cliKeySource(io: CliIo, dataDir: string, flag: string | undefined): SigningKeySource {
  const file = flag
    ? path.resolve(flag)
    : defaultKeyFile({ env: io.env, platform: process.platform, homedir: homeDir(io) });
  if (isInside(file, dataDir)) {
    throw new UsageError(
      `The signing key ${file} is inside the data directory ${dataDir}: keep it elsewhere (--key-file, RECVAULT_KEY_FILE).`,
    );
  }
  return keyFileSource(file);
}

function homeDir(io: CliIo): string {
  return io.env.HOME ?? io.env.USERPROFILE ?? process.cwd();
}
