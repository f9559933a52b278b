// One entry point for the engine: an account's config in, its provider's client out.
import { createEnvoyClient } from './envoy.ts';
import type { EnvoyClientDeps } from './envoy.ts';
import { createKallglotClient } from './kallglot.ts';
import type { KallglotClientDeps } from './kallglot.ts';
import { createKoreaiClient } from './koreai.ts';
import type { KoreaiClientDeps } from './koreai.ts';
import type { AccountConfig, ProviderClient } from './types.ts';

/** Test and engine hooks (fetch, limiter, retry, clock) understood by every client. */
export type ProviderClientDeps = KallglotClientDeps & KoreaiClientDeps & EnvoyClientDeps;

export function createProviderClient(
  config: AccountConfig,
  deps: ProviderClientDeps = {},
): ProviderClient {
  switch (config.provider) {
    case 'kallglot':
      return createKallglotClient(config, deps);
    case 'koreai':
      return createKoreaiClient(config, deps);
    case 'envoy':
      return createEnvoyClient(config, deps);
  }
}
