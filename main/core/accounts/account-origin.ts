// An account's key belongs to the origin it was entered for: a changed address needs the key
// again, and no address but https (or http to this machine) ever receives it.
import { AppError } from '../app-error.ts';
import {
  isTrustedProviderUrl,
  koreaiBaseUrl,
  UNTRUSTED_URL_MESSAGE,
} from '../contract/provider-origin.ts';
import type { Account } from '../db/accounts.ts';

/** The URL an account's requests (and so its key) go to. */
export function accountUrl(provider: Account['provider'], settings: Account['settings']): string {
  const s = settings as { baseUrl?: string; host?: string };
  return provider === 'koreai' ? koreaiBaseUrl(s.host ?? '') : (s.baseUrl ?? '');
}

/** scheme://host:port of the account's URL; '' when it is not a URL. */
export function accountOrigin(
  provider: Account['provider'],
  settings: Account['settings'],
): string {
  try {
    return new URL(accountUrl(provider, settings)).origin;
  } catch {
    return '';
  }
}

/** Refuses an address a key must not be sent to (plain http to another machine). */
export function requireTrustedAddress(
  provider: Account['provider'],
  settings: Account['settings'],
): void {
  const url = accountUrl(provider, settings);
  if (!isTrustedProviderUrl(url)) {
    throw new AppError(
      'invalid_arguments',
      `The account's address ${JSON.stringify(url)} must be ${UNTRUSTED_URL_MESSAGE}: a key is never sent unencrypted.`,
    );
  }
}
