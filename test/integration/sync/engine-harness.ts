import path from 'node:path';
import { openEngine, type Engine, type EngineOptions } from '../../../main/core/engine.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { tempDir } from '../../helpers/tmp.ts';

/** A real engine on a fresh data directory, as the CLI opens it. */
export async function openTestEngine(
  env: NodeJS.ProcessEnv,
  options: Partial<EngineOptions> = {},
): Promise<Engine> {
  const dataDir = options.dataDir ?? path.join(tempDir(), 'data');
  return openEngine({ dataDir, transport: 'cli', env, maxInRunWaitMs: 0, ...options });
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
