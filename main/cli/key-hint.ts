import type { InProcessApi } from '../core/api/in-process-client.ts';
import { capabilitiesOf } from '../core/contract/providers.ts';
import type { AccountView } from '../core/contract/types.ts';
import type { CliIo } from './io.ts';
import { unwrap } from './refusal.ts';

/**
 * Which key a provider refused, by account and by where it comes from, never its value: with
 * several accounts, "the API key was rejected" alone does not say which one to fix.
 */
export function refusedKeyHint(account: AccountView): string {
  const label = capabilitiesOf(account.provider).secretLabel;
  // "Client secret" reads "client secret" mid-sentence; "API key" stays as it is.
  const what = /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
  const source =
    account.secretSource === 'env'
      ? `read from the environment variable ${account.secretEnv}`
      : 'stored encrypted by the desktop app';
  return `The ${what} of account "${account.name}" (${source}) was refused.`;
}

/** After a failed test or sync: the hint, when the account's key was refused. */
export async function hintIfKeyRefused(api: InProcessApi, io: CliIo, name: string): Promise<void> {
  const account = await unwrap(api.accountByName({ name }));
  if (account.authError) io.stderr.write(`${refusedKeyHint(account)}\n`);
}
