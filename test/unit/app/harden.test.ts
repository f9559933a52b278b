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

  it('grants notifications only, to the app page, asked or checked', () => {
    const ses = fakeSession();
    const request = (permission: string, requestingUrl: string) => {
      let granted: boolean | null = null;
      ses.requestHandler!({}, permission, (ok: boolean) => (granted = ok), { requestingUrl });
      return granted;
    };
    const check = (permission: string, requestingUrl: string) =>
      ses.checkHandler!({}, permission, 'file://', { requestingUrl, isMainFrame: true });
    expect(request('notifications', APP_PAGE)).toBe(true);
    expect(check('notifications', APP_PAGE)).toBe(true);
    expect(request('notifications', 'https://evil.example/')).toBe(false);
    expect(check('notifications', 'https://evil.example/')).toBe(false);
    for (const permission of ['media', 'geolocation', 'openExternal', 'clipboard-read', 'hid']) {
      expect(request(permission, APP_PAGE)).toBe(false);
      expect(check(permission, APP_PAGE)).toBe(false);
    }
  });

  it('refuses every device and screen capture without leaving a chooser hanging', () => {
    const ses = fakeSession();
    expect(ses.deviceHandler!({ deviceType: 'usb', origin: 'file://' })).toBe(false);
    const streams = vi.fn();
    ses.displayMediaHandler!({}, streams);
    expect(streams).toHaveBeenCalledWith(null);
    for (const [name, args] of [
      ['select-hid-device', [{ deviceList: [{ deviceId: 'h1' }] }]],
      ['select-usb-device', [{ deviceList: [{ deviceId: 'u1' }] }]],
      ['select-serial-port', [[{ portId: 's1' }], {}]],
    ] as const) {
      const event = { preventDefault: vi.fn() };
      const callback = vi.fn();
      ses.emit(name, event, ...args, callback);
      expect(event.preventDefault, name).toHaveBeenCalled();
      expect(callback, name).toHaveBeenCalledTimes(1);
      expect(
        callback.mock.calls[0]!.filter((id: unknown) => id),
        name,
      ).toEqual([]);
    }
  });
});

const APP_PAGE = 'file:///opt/Recvault/out/renderer/index.html';

/** A session that records the handlers the hardening installs. */
function fakeSession() {
  type Handler = ((...args: never[]) => unknown) | null;
  const ses = Object.assign(new EventEmitter(), {
    requestHandler: null as Handler,
    checkHandler: null as Handler,
    deviceHandler: null as Handler,
    displayMediaHandler: null as Handler,
    setPermissionRequestHandler: (h: Handler) => (ses.requestHandler = h),
    setPermissionCheckHandler: (h: Handler) => (ses.checkHandler = h),
    setDevicePermissionHandler: (h: Handler) => (ses.deviceHandler = h),
    setDisplayMediaRequestHandler: (h: Handler) => (ses.displayMediaHandler = h),
  });
  restrictPermissions(ses as unknown as Session, isAppUrl);
  // The tests call the handlers with loosely typed stand-ins for Electron's arguments.
  return ses as unknown as EventEmitter & Record<string, ((...args: unknown[]) => unknown) | null>;
}
