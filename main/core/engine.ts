import fs from 'node:fs';
import type { HandlerTable } from './api/dispatch.ts';
import { EventBus } from './api/event-bus.ts';
import { dataPaths, type DataPaths } from './paths.ts';
import { APP_NAME, APP_VERSION } from './version.ts';

export interface EngineOptions {
  dataDir: string;
  transport: 'electron' | 'bridge';
}

export interface Engine {
  paths: DataPaths;
  events: EventBus;
  handlers: HandlerTable;
  close(): Promise<void>;
}

/** Opens the archive in `dataDir` and builds the handler table every transport serves. */
export async function openEngine(options: EngineOptions): Promise<Engine> {
  const paths = dataPaths(options.dataDir);
  await fs.promises.mkdir(paths.archiveDir, { recursive: true });
  const events = new EventBus();
  const handlers: HandlerTable = {
    appInfo: () => ({
      name: APP_NAME,
      version: APP_VERSION,
      dataDir: paths.dataDir,
      archiveDir: paths.archiveDir,
      transport: options.transport,
    }),
  };
  return { paths, events, handlers, close: async () => {} };
}
