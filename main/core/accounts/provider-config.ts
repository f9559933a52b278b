import type { Account } from '../db/accounts.ts';
import type { AccountConfig } from '../providers/types.ts';
import { DEFAULT_BASE_URLS } from '../providers/types.ts';

/** The provider client's configuration for an account, with its resolved secret. */
export function providerConfigFor(account: Account, secret: string): AccountConfig {
  switch (account.provider) {
    case 'kallglot':
      return { provider: 'kallglot', baseUrl: account.settings.baseUrl, apiKey: secret };
    case 'koreai':
      return {
        provider: 'koreai',
        host: account.settings.host,
        botId: account.settings.botId,
        clientId: account.settings.clientId,
        clientSecret: secret,
      };
    case 'envoy':
      return {
        provider: 'envoy',
        baseUrl: account.settings.baseUrl,
        apiKey: secret,
        organizationId: account.settings.organizationId ?? null,
      };
  }
}

/** What the user typed, as the index's non-secret settings of that provider. */
export function settingsFromInput(
  provider: Account['provider'],
  input: {
    baseUrl?: string | null;
    host?: string | null;
    botId?: string | null;
    clientId?: string | null;
    organizationId?: string | null;
    requestsPerMinute?: number | null;
  },
): Account['settings'] {
  const requestsPerMinute = input.requestsPerMinute ?? null;
  switch (provider) {
    case 'kallglot':
      return { baseUrl: input.baseUrl || DEFAULT_BASE_URLS.kallglot, requestsPerMinute };
    case 'koreai':
      return {
        host: input.host ?? '',
        botId: input.botId ?? '',
        clientId: input.clientId ?? '',
        requestsPerMinute,
      };
    case 'envoy':
      return {
        baseUrl: input.baseUrl || DEFAULT_BASE_URLS.envoy,
        organizationId: input.organizationId || null,
        requestsPerMinute,
      };
  }
}
