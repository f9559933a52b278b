import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountView } from '../../../../main/core/contract/types.ts';
import { createFakeApi } from '../../test-support/fake-api.ts';
import { AccountsState } from '../../state/accounts.svelte.ts';
import AccountForm from './AccountForm.svelte';
import { fail } from '../../../../main/core/contract/result.ts';

afterEach(cleanup);

const koreai: AccountView = {
  id: 3,
  name: 'Bots',
  provider: 'koreai',
  baseUrl: null,
  host: 'https://bots.example.com',
  botId: 'st-1',
  clientId: 'cs-1',
  organizationId: null,
  requestsPerMinute: 300,
  rateLimit: { requestsPerMinute: 300, source: 'user' },
  secretSource: 'encrypted',
  secretEnv: null,
  authError: null,
  createdAt: '2025-01-01T00:00:00Z',
  recordingCount: 0,
  archivedCount: 0,
};

describe('AccountForm', () => {
  it("shows each provider's fields, the secret as a password", async () => {
    const accounts = new AccountsState(createFakeApi());
    render(AccountForm, { accounts, onclose: () => {} });
    expect(screen.getByLabelText(/API key/).getAttribute('type')).toBe('password');
    await fireEvent.change(screen.getByLabelText('Provider'), { target: { value: 'koreai' } });
    for (const label of [/Host URL/, /Bot ID/, /Client ID/, /Client secret/]) {
      expect(screen.getByLabelText(label)).toBeTruthy();
    }
    await fireEvent.change(screen.getByLabelText('Provider'), { target: { value: 'envoy' } });
    expect(screen.getByLabelText(/Organization ID \(optional\)/)).toBeTruthy();
  });

  it('sends only the provider fields, and shows a refusal in words', async () => {
    const api = createFakeApi();
    api.accountsAdd.mockResolvedValue(fail('conflict', 'An account named Support already exists.'));
    const accounts = new AccountsState(api);
    render(AccountForm, { accounts, onclose: () => {} });
    await fireEvent.input(screen.getByLabelText(/Name/), { target: { value: ' Support ' } });
    await fireEvent.input(screen.getByLabelText(/API key/), { target: { value: 'sk_test_1' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add account' }));
    expect(api.accountsAdd).toHaveBeenCalledWith({
      provider: 'kallglot',
      name: 'Support',
      baseUrl: null,
      requestsPerMinute: null,
      secret: 'sk_test_1',
    });
    expect((await screen.findByTestId('account-form-error')).textContent).toBe(
      'An account named Support already exists.',
    );
  });

  it('edits without ever showing the stored secret; an empty secret keeps it', async () => {
    const api = createFakeApi();
    api.accountsUpdate.mockResolvedValue({ ok: true, value: koreai });
    const accounts = new AccountsState(api);
    let closed = false;
    render(AccountForm, { accounts, account: koreai, onclose: () => (closed = true) });
    const secret = screen.getByLabelText(/Client secret/) as HTMLInputElement;
    expect(secret.value).toBe('');
    expect((screen.getByLabelText(/Bot ID/) as HTMLInputElement).value).toBe('st-1');
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.accountsUpdate.mock.calls[0]![0]).not.toHaveProperty('secret');
    expect(closed).toBe(true);
  });

  it('lists missing required fields before asking the engine', async () => {
    const api = createFakeApi();
    render(AccountForm, { accounts: new AccountsState(api), onclose: () => {} });
    await fireEvent.click(screen.getByRole('button', { name: 'Add account' }));
    expect(screen.getByRole('alert').textContent).toBe('Name is required. API key is required.');
    expect(api.accountsAdd).not.toHaveBeenCalled();
  });

  it('sends the plan rate limit as a number and refuses one that is not', async () => {
    const api = createFakeApi();
    api.accountsUpdate.mockResolvedValue({ ok: true, value: koreai });
    const accounts = new AccountsState(api);
    render(AccountForm, { accounts, account: koreai, onclose: () => {} });
    const rate = screen.getByLabelText(/Requests per minute/) as HTMLInputElement;
    expect(rate.value).toBe('300');
    await fireEvent.input(rate, { target: { value: 'lots' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.accountsUpdate).not.toHaveBeenCalled();
    expect((await screen.findByTestId('account-form-error')).textContent).toContain(
      'Requests per minute must be a whole number',
    );
    await fireEvent.input(rate, { target: { value: '120' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.accountsUpdate.mock.calls[0]![0]).toMatchObject({ id: 3, requestsPerMinute: 120 });
  });
});

describe('AccountForm without secure secret storage', () => {
  const reason = 'No keyring (GNOME Keyring or KWallet) is running.';

  it('says why a typed key cannot be saved and offers an environment variable', () => {
    const accounts = new AccountsState(createFakeApi());
    render(AccountForm, {
      accounts,
      onclose: () => {},
      secretStorage: { encrypted: false, reason },
    });
    const note = screen.getByTestId('secret-storage-note').textContent ?? '';
    expect(note).toContain(reason);
    expect(note).toContain('--api-key-env');
  });

  it('says nothing when secrets are stored encrypted', () => {
    const accounts = new AccountsState(createFakeApi());
    render(AccountForm, {
      accounts,
      onclose: () => {},
      secretStorage: { encrypted: true, reason: null },
    });
    expect(screen.queryByTestId('secret-storage-note')).toBeNull();
  });
});
