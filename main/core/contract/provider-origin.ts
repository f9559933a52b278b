// Where an account's key is sent. A key goes only over https, or over http to this machine
// (the provider fakes of development and tests), and only to the origin it was entered for.

/** 127.0.0.0/8, ::1 and localhost: http to these never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** True for an https URL, or an http URL to a loopback host. */
export function isTrustedProviderUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname);
}

export const UNTRUSTED_URL_MESSAGE =
  'an https:// address (http:// only for this machine: localhost, 127.0.0.1 or ::1)';

/** Kore.ai takes `platform.kore.ai` as well as `https://platform.kore.ai/`: the URL to call. */
export function koreaiBaseUrl(host: string): string {
  const trimmed = host.trim().replace(/\/+$/, '');
  return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}
