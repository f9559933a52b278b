// Starts the fake storage host and a fake Kore.ai for one test file, and builds clients on them.
import { createKoreaiClient } from '../../../main/core/providers/koreai.ts';
import type { KoreaiClientDeps } from '../../../main/core/providers/koreai.ts';
import type { KoreaiAccountConfig, ProviderClient } from '../../../main/core/providers/types.ts';
import { startFakeKoreai } from '../../fakes/koreai.ts';
import type { FakeKoreai, StartFakeKoreaiOptions } from '../../fakes/koreai.ts';
import { createFakeStorage } from '../../fakes/storage.ts';
import type { FakeStorage } from '../../fakes/storage.ts';

export interface KoreaiWorld {
  storage: FakeStorage;
  fake: FakeKoreai;
  config: KoreaiAccountConfig;
  client(overrides?: Partial<KoreaiAccountConfig>, deps?: KoreaiClientDeps): ProviderClient;
  close(): Promise<void>;
}

/** Retries fast so fault tests do not wait out real backoff. */
export const FAST_RETRY = { baseDelayMs: 2, maxDelayMs: 10 };

export async function startKoreaiWorld(
  options: Omit<StartFakeKoreaiOptions, 'storage'> = {},
): Promise<KoreaiWorld> {
  const storage = await createFakeStorage();
  const fake = await startFakeKoreai({ seedDefaults: false, ...options, storage });
  const config: KoreaiAccountConfig = {
    provider: 'koreai',
    host: fake.baseUrl,
    botId: fake.botId,
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
  };
  return {
    storage,
    fake,
    config,
    client: (overrides = {}, deps = {}) =>
      createKoreaiClient({ ...config, ...overrides }, { retry: FAST_RETRY, ...deps }),
    async close() {
      await fake.close();
      await storage.close();
    },
  };
}
