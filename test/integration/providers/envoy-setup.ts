// Starts the fake storage host and a fake Envoy for one test file, and builds clients on them.
import { createEnvoyClient } from '../../../main/core/providers/envoy.ts';
import type { EnvoyClientDeps } from '../../../main/core/providers/envoy.ts';
import type { EnvoyAccountConfig, ProviderClient } from '../../../main/core/providers/types.ts';
import { startFakeEnvoy } from '../../fakes/envoy.ts';
import type { FakeEnvoy, StartFakeEnvoyOptions } from '../../fakes/envoy.ts';
import { createFakeStorage } from '../../fakes/storage.ts';
import type { FakeStorage } from '../../fakes/storage.ts';

export interface EnvoyWorld {
  storage: FakeStorage;
  fake: FakeEnvoy;
  config: EnvoyAccountConfig;
  client(overrides?: Partial<EnvoyAccountConfig>, deps?: EnvoyClientDeps): ProviderClient;
  close(): Promise<void>;
}

/** Retries fast so fault tests do not wait out real backoff. */
export const FAST_RETRY = { baseDelayMs: 2, maxDelayMs: 10 };

export async function startEnvoyWorld(
  options: Omit<StartFakeEnvoyOptions, 'storage'> = {},
): Promise<EnvoyWorld> {
  const storage = await createFakeStorage();
  const fake = await startFakeEnvoy({ seedDefaults: false, ...options, storage });
  const config: EnvoyAccountConfig = {
    provider: 'envoy',
    baseUrl: fake.baseUrl,
    apiKey: fake.apiKey,
    organizationId: null,
  };
  return {
    storage,
    fake,
    config,
    client: (overrides = {}, deps = {}) =>
      createEnvoyClient({ ...config, ...overrides }, { retry: FAST_RETRY, ...deps }),
    async close() {
      await fake.close();
      await storage.close();
    },
  };
}
