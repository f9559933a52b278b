import { describe, expect, it } from 'vitest';
import { isTrustedSender, makeIsAppUrl } from '../../../main/app/trusted-sender.ts';

const isAppUrl = makeIsAppUrl('/opt/Recvault/resources/app.asar/out/renderer/index.html');

describe('trusted sender', () => {
  it('trusts the main window main frame showing the app page', () => {
    const frame = { url: 'file:///opt/Recvault/resources/app.asar/out/renderer/index.html' };
    expect(isTrustedSender(frame, frame, isAppUrl)).toBe(true);
  });

  it('refuses a subframe or another window', () => {
    const main = { url: 'file:///opt/Recvault/resources/app.asar/out/renderer/index.html' };
    const other = { url: main.url };
    expect(isTrustedSender(other, main, isAppUrl)).toBe(false);
    expect(isTrustedSender(null, main, isAppUrl)).toBe(false);
    expect(isTrustedSender(main, null, isAppUrl)).toBe(false);
  });

  it('refuses the main frame once it shows another page', () => {
    const frame = { url: 'https://evil.example/' };
    expect(isTrustedSender(frame, frame, isAppUrl)).toBe(false);
    const otherFile = { url: 'file:///tmp/evil.html' };
    expect(isTrustedSender(otherFile, otherFile, isAppUrl)).toBe(false);
  });

  it('accepts the dev server origin only when one is configured', () => {
    const dev = makeIsAppUrl('/x/index.html', 'http://localhost:5173');
    expect(dev('http://localhost:5173/#/library')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
  });
});
