// Issue 16: the account card says which request limit the app keeps to and who set it.
import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountView, RateLimitInForce } from '../../../../main/core/contract/types.ts';
import { createFakeApi } from '../../test-support/fake-api.ts';
import { AccountsState } from '../../state/accounts.svelte.ts';
import AccountCard from './AccountCard.svelte';

afterEach(cleanup);

function card(rateLimit: RateLimitInForce, requestsPerMinute: number | null): void {
  const account: AccountView = {
    id: 7,
    name: 'Support line',
    provider: 'kallglot',
    baseUrl: null,
    host: null,
    botId: null,
    clientId: null,
    organizationId: null,
    requestsPerMinute,
    rateLimit,
    secretSource: 'encrypted',
    secretEnv: null,
    authError: null,
    createdAt: '2025-01-01T00:00:00Z',
    recordingCount: 0,
    archivedCount: 0,
  };
  const accounts = new AccountsState(createFakeApi());
  render(AccountCard, { account, accounts, onedit: () => {}, onremove: () => {} });
}

describe('account card pacing line', () => {
  it("names the server's advertised limit when it is the one in force", () => {
    card({ requestsPerMinute: 300, source: 'server' }, null);
    expect(screen.getByTestId('account-rate-limit').textContent).toBe(
      'Paced to 300 requests a minute: advertised by the server.',
    );
  });

  it("names the user's own limit as the brake", () => {
    card({ requestsPerMinute: 100, source: 'user' }, 100);
    expect(screen.getByTestId('account-rate-limit').textContent).toBe(
      'Paced to 100 requests a minute: your limit.',
    );
  });

  it("says the provider's lowest tier holds until the server speaks", () => {
    card({ requestsPerMinute: 60, source: 'provider' }, null);
    expect(screen.getByTestId('account-rate-limit').textContent).toContain(
      "60 requests a minute: the provider's lowest published tier",
    );
  });
});
