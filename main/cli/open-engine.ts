import path from 'node:path';
import { openEngine, type Engine } from '../core/engine.ts';
import { defaultDataDir } from '../core/paths.ts';
import type { CliIo } from './io.ts';

/** The same engine and data directory as the app: --data-dir, else RECVAULT_DATA_DIR, else the app's. */
export function openCliEngine(
  io: CliIo,
  dataDirFlag: string | undefined,
  extra: {
    secretOverride?: string | null;
    concurrency?: number;
    resumeInterrupted?: boolean;
    maxInRunWaitMs?: number;
  } = {},
): Promise<Engine> {
  const dataDir = dataDirFlag
    ? path.resolve(dataDirFlag)
    : defaultDataDir({ env: io.env, platform: process.platform, homedir: homeDir(io) });
  return openEngine({ dataDir, transport: 'cli', env: io.env, ...extra });
}

function homeDir(io: CliIo): string {
  return io.env.HOME ?? io.env.USERPROFILE ?? process.cwd();
}

/** Reads a secret piped on stdin (trimmed), for --secret-stdin. */
export async function readSecretFromStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').trim();
}
