import path from 'node:path';
import { openEngine, type Engine, type EngineOptions } from '../../../main/core/engine.ts';
import { tempDir } from '../../helpers/tmp.ts';

/** A real engine on a fresh data directory, as the CLI opens it. */
export async function openTestEngine(
  env: NodeJS.ProcessEnv,
  options: Partial<EngineOptions> = {},
): Promise<Engine> {
  const dataDir = options.dataDir ?? path.join(tempDir(), 'data');
  return openEngine({ dataDir, transport: 'cli', env, maxInRunWaitMs: 0, ...options });
}
