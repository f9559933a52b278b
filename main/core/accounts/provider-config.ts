import type { Account } from '../db/accounts.ts';
import type { AccountConfig } from '../providers/types.ts';

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
