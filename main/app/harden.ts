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

/** Only desktop notifications are granted; camera, microphone, geolocation… are refused. */
export function restrictPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    callback(permission === 'notifications');
  });
}
