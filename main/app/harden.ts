import type { App, Session, WebContents } from 'electron';

/**
 * Refuses navigation away from the app, new windows, <webview>s and permission prompts for
 * every web contents the app ever creates.
 */
export function hardenWebContents(app: App, isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/**
 * Only desktop notifications are granted, and only to the app's own page; camera, microphone,
 * geolocation, screen capture and every device (USB, HID, serial, Bluetooth) are refused.
 * Both halves matter: the request handler answers prompts, the check handler answers the
 * silent "is this allowed?" queries (Notification.permission, navigator.permissions, device
 * lists) that never reach the request handler and are granted by default in Electron.
 */
export function restrictPermissions(session: Session, isAppUrl: (url: string) => boolean): void {
  const grants = (permission: string, url: string | undefined) =>
    permission === 'notifications' && url !== undefined && isAppUrl(url);
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(grants(permission, details.requestingUrl ?? contents?.getURL()));
  });
  session.setPermissionCheckHandler((contents, permission, _origin, details) =>
    grants(permission, details.requestingUrl ?? contents?.getURL()),
  );
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));
  // A device chooser left unanswered would hang the page; answering with no device refuses it.
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback(null);
  });
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
}
