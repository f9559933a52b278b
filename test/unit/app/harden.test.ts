import { EventEmitter } from 'node:events';
import type { App, Session } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { hardenWebContents, restrictPermissions } from '../../../main/app/harden.ts';
import { makeIsAppUrl } from '../../../main/app/trusted-sender.ts';

const isAppUrl = makeIsAppUrl('/opt/Recvault/out/renderer/index.html');

function fakeContents() {
  const contents = new EventEmitter() as EventEmitter & {
    setWindowOpenHandler: ReturnType<typeof vi.fn>;
  };
  contents.setWindowOpenHandler = vi.fn();
  return contents;
}

function created() {
  const app = new EventEmitter();
  hardenWebContents(app as unknown as App, isAppUrl);
  const contents = fakeContents();
  app.emit('web-contents-created', {}, contents);
  return contents;
}

function navigate(contents: EventEmitter, eventName: string, url: string): boolean {
  const event = { preventDefault: vi.fn() };
  contents.emit(eventName, event, url);
  return event.preventDefault.mock.calls.length > 0;
}

describe('hardened web contents', () => {
  it('refuses navigation and redirects away from the app page', () => {
    const contents = created();
    expect(navigate(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate(contents, 'will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(
      navigate(contents, 'will-navigate', 'file:///opt/Recvault/out/renderer/index.html'),
    ).toBe(false);
  });

  it('denies every new window and <webview>', () => {
    const contents = created();
    const handler = contents.setWindowOpenHandler.mock.calls[0]![0] as (d: unknown) => unknown;
    expect(handler({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(navigate(contents, 'will-attach-webview', 'about:blank')).toBe(true);
  });

  it('grants notifications only', () => {
    let handler: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
    restrictPermissions({
      setPermissionRequestHandler: (h: typeof handler) => (handler = h),
    } as unknown as Session);
    const answer = (permission: string) => {
      let granted: boolean | null = null;
      handler!({}, permission, (ok) => (granted = ok));
      return granted;
    };
    expect(answer('notifications')).toBe(true);
    for (const permission of ['media', 'geolocation', 'openExternal', 'clipboard-read']) {
      expect(answer(permission)).toBe(false);
    }
  });
});
