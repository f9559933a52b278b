// How the end-to-end tests and the UI bench launch Chromium: headless, on a closed network, as
// root. One list, so the bench measures the browser the tests drive.
import fs from 'node:fs';

/** CHROMIUM_PATH, else Debian's chromium, else undefined (Playwright's own browser, if installed). */
export function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return undefined;
}

/** No sandbox (root), no GPU, no background traffic; media may play without a gesture. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];
