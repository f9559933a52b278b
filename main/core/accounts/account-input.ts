import type { Account } from '../db/accounts.ts';
import { DEFAULT_BASE_URLS } from '../contract/providers.ts';

/** An account's non-secret fields as the user gives them (each provider uses some). */
export interface AccountInput {
  name?: string;
  baseUrl?: string | null;
  host?: string | null;
  botId?: string | null;
  clientId?: string | null;
  organizationId?: string | null;
  requestsPerMinute?: number | null;
}

/** Where a new or edited account's secret comes from. */
export type SecretInput = { secret: string } | { secretEnv: string };

/** What the user typed, as the index's non-secret settings of that provider. */
export function settingsFromInput(
  provider: Account['provider'],
  input: AccountInput,
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

/** An edit: the fields given replace the account's current ones, the others stay. */
export function editedSettings(account: Account, edit: AccountInput): Account['settings'] {
  const given = Object.fromEntries(Object.entries(edit).filter(([, v]) => v !== undefined));
  return settingsFromInput(account.provider, {
    ...(account.settings as AccountInput),
    ...(given as AccountInput),
  });
}
