import type { AccountView } from '../core/contract/types.ts';

/**
 * Which key a provider refused, by account and by where it comes from, never its value: with
 * several accounts, "the API key was rejected" alone does not say which one to fix.
 */
export function refusedKeyHint(account: AccountView): string {
  const what = account.provider === 'koreai' ? 'client secret' : 'API key';
  const source =
    account.secretSource === 'env'
      ? `read from the environment variable ${account.secretEnv}`
      : 'stored encrypted by the desktop app';
  return `The ${what} of account "${account.name}" (${source}) was refused.`;
}
