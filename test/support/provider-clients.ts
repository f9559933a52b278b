// Provider clients on the fakes, for the provider contract tests. Kallglot: a client whose
// waits (retry backoff, rate-limit pauses) are recorded instead of slept. Kore.ai and Envoy:
// the fake storage host and the fake API for one test file, and clients built on them.
import { createEnvoyClient } from '../../main/core/providers/envoy.ts';
import type { EnvoyClientDeps } from '../../main/core/providers/envoy.ts';
import { createKallglotClient } from '../../main/core/providers/kallglot.ts';
import type { KallglotClientDeps } from '../../main/core/providers/kallglot.ts';
import { createKoreaiClient } from '../../main/core/providers/koreai.ts';
import type { KoreaiClientDeps } from '../../main/core/providers/koreai.ts';
import { createRateLimiter } from '../../main/core/providers/rate-limit.ts';
import type { RateLimiter } from '../../main/core/providers/rate-limit.ts';
import type {
  EnvoyAccountConfig,
  KoreaiAccountConfig,
  ProviderClient,
} from '../../main/core/providers/types.ts';
import { startFakeEnvoy } from '../fakes/envoy.ts';
import type { FakeEnvoy, StartFakeEnvoyOptions } from '../fakes/envoy.ts';
import { KALLGLOT_PRO_PER_MINUTE, startFakeKallglot } from '../fakes/kallglot.ts';
import type { FakeKallglot, StartFakeKallglotOptions } from '../fakes/kallglot.ts';
import { startFakeKoreai } from '../fakes/koreai.ts';
import type { FakeKoreai, StartFakeKoreaiOptions } from '../fakes/koreai.ts';
import { createFakeStorage } from '../fakes/storage.ts';
import type { FakeStorage } from '../fakes/storage.ts';

/** Retries fast so fault tests do not wait out real backoff. */
export const FAST_RETRY = { baseDelayMs: 2, maxDelayMs: 10 };

export interface Harness {
  fake: FakeKallglot;
  client: ProviderClient;
  /** A client with other deps or key, sharing the fake, clock and limiter. */
  makeClient(deps?: KallglotClientDeps, apiKey?: string): ProviderClient;
  limiter: RateLimiter;
  /** The one clock of fake, storage, limiter and client (epoch ms); moves only when waited. */
  now(): number;
  /** Waits the limiter asked for (ms). */
  limiterWaits: number[];
  /** Backoff waits the retry loop asked for (ms). */
  retryWaits: number[];
  close(): Promise<void>;
}

export async function startHarness(options: StartFakeKallglotOptions = {}): Promise<Harness> {
  // Fake, storage, limiter and client share a clock that starts at real time and advances
  // only when something waits, so rate-limit windows, Reset headers and URL expiry agree
  // and the tests never really sleep.
  let clock = Date.now();
  const now = (): number => clock;
  // Pro tier unless a test asks otherwise: the contract tests run many calls per fake minute.
  const fake = await startFakeKallglot({
    now,
    rateLimitPerMinute: KALLGLOT_PRO_PER_MINUTE,
    ...options,
  });
  const limiterWaits: number[] = [];
  const retryWaits: number[] = [];
  const limiter = createRateLimiter({
    requestsPerMinute: 1000,
    now,
    sleep: async (ms) => {
      limiterWaits.push(ms);
      clock += ms;
    },
  });
  const makeClient = (deps: KallglotClientDeps = {}, apiKey = fake.apiKey): ProviderClient =>
    createKallglotClient(
      { provider: 'kallglot', baseUrl: fake.baseUrl, apiKey },
      {
        limiter,
        now,
        ...deps,
        retry: {
          random: () => 0.5,
          sleep: async (ms) => {
            retryWaits.push(ms);
            clock += ms;
          },
          ...deps.retry,
        },
      },
    );
  return {
    fake,
    client: makeClient(),
    makeClient,
    limiter,
    now,
    limiterWaits,
    retryWaits,
    close: () => fake.close(),
  };
}

/** Every header value a host received, lower-cased names, for secret scans. */
export function headerDump(requests: { headers: Record<string, unknown> }[]): string {
  return requests.map((r) => JSON.stringify(r.headers)).join('\n');
}

export interface EnvoyWorld {
  storage: FakeStorage;
  fake: FakeEnvoy;
  config: EnvoyAccountConfig;
  client(overrides?: Partial<EnvoyAccountConfig>, deps?: EnvoyClientDeps): ProviderClient;
  close(): Promise<void>;
}

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

export interface KoreaiWorld {
  storage: FakeStorage;
  fake: FakeKoreai;
  config: KoreaiAccountConfig;
  client(overrides?: Partial<KoreaiAccountConfig>, deps?: KoreaiClientDeps): ProviderClient;
  close(): Promise<void>;
}

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
