// The one engine harness: a fresh data directory, the provider fakes on one storage host, and
// a real engine opened in this process as the CLI opens it. Tests of the built CLI (cli.ts) use
// the same data directories and fakes; data-dir.ts reads what either left behind.
import path from 'node:path';
import { CLI_ENGINE_OPTIONS } from '../../main/cli/engine-options.ts';
import { openEngine, type Engine, type EngineOptions } from '../../main/core/engine.ts';
import { startFakeEnvoy, type FakeEnvoy } from '../fakes/envoy.ts';
import {
  dualChannelSession,
  KALLGLOT_PRO_PER_MINUTE,
  startFakeKallglot,
  type FakeKallglot,
} from '../fakes/kallglot.ts';
import type { StartFakeKallglotOptions } from '../fakes/kallglot.ts';
import { startFakeKoreai, type FakeKoreai } from '../fakes/koreai.ts';
import type { StartFakeKoreaiOptions } from '../fakes/koreai.ts';
import { createFakeStorage, type FakeStorage } from '../fakes/storage.ts';
import { tempDir } from './tmp.ts';

/** A fresh data directory (removed after the test). */
export function newDataDir(): string {
  return path.join(tempDir('recvault-engine-'), 'data');
}

export interface World {
  storage: FakeStorage;
  kallglot: FakeKallglot;
  koreai: FakeKoreai;
  envoy: FakeEnvoy;
  close(): Promise<void>;
}

/** The three fakes on one storage host, empty unless the test seeds them. */
export async function startWorld(
  options: {
    kallglot?: Omit<StartFakeKallglotOptions, 'storage'>;
    koreai?: Omit<StartFakeKoreaiOptions, 'storage'>;
  } = {},
): Promise<World> {
  const storage = await createFakeStorage();
  // Pro tier unless a test asks otherwise: several engines share one world within a minute.
  const kallglot = await startFakeKallglot({
    rateLimitPerMinute: KALLGLOT_PRO_PER_MINUTE,
    ...options.kallglot,
    storage,
  });
  const koreai = await startFakeKoreai({ seedDefaults: false, ...options.koreai, storage });
  const envoy = await startFakeEnvoy({ storage, seedDefaults: false });
  return {
    storage,
    kallglot,
    koreai,
    envoy,
    async close() {
      await Promise.allSettled([kallglot.close(), koreai.close(), envoy.close()]);
      await storage.close();
    },
  };
}

/** A real engine on a fresh data directory, as the CLI opens it. */
export async function openTestEngine(
  env: NodeJS.ProcessEnv,
  options: Partial<EngineOptions> = {},
): Promise<Engine> {
  const dataDir = options.dataDir ?? newDataDir();
  return openEngine({ dataDir, ...CLI_ENGINE_OPTIONS, env, maxInRunWaitMs: 0, ...options });
}
export interface ArchivedSession {
  fake: FakeKallglot;
  engine: Engine;
  /** Index ids of the session's three recordings (mixed, agent, customer). */
  ids: number[];
  close(): Promise<void>;
}

/** A Kallglot fake with one dual-channel session, synced into a fresh engine. */
export async function archivedKallglotSession(sessionId: string): Promise<ArchivedSession> {
  const fake = await startFakeKallglot({ sessions: [dualChannelSession(sessionId)] });
  const engine = await openTestEngine({ KALLGLOT_KEY: fake.apiKey });
  const account = engine.accounts.add(
    'kallglot',
    { name: 'Archive', baseUrl: fake.baseUrl },
    { secretEnv: 'KALLGLOT_KEY' },
  );
  const job = engine.jobs.start(account.id, {
    sessions: [{ id: sessionId }],
    recordingIds: [],
    callIds: [],
  });
  await engine.jobs.wait(job.id);
  const ids = (
    engine.db.prepare('SELECT id FROM recordings ORDER BY id').all() as { id: number }[]
  ).map((row) => row.id);
  return {
    fake,
    engine,
    ids,
    close: async () => {
      await engine.close();
      await fake.close();
    },
  };
}
