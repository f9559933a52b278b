/** The parts of an Electron frame the sender check looks at. */
export interface SenderFrame {
  url: string;
}

/**
 * A request is trusted only when it comes from the main window's own main frame and that frame
 * shows the app's own page (not a page it was somehow navigated to).
 */
export function isTrustedSender(
  senderFrame: SenderFrame | null | undefined,
  mainFrame: SenderFrame | null | undefined,
  isAppUrl: (url: string) => boolean,
): boolean {
  if (!senderFrame || !mainFrame) return false;
  if (senderFrame !== mainFrame) return false;
  return isAppUrl(senderFrame.url);
}

/** Whether `url` is the app's renderer: the built file, or the dev server in development. */
export function makeIsAppUrl(
  rendererIndexFile: string,
  devServerUrl?: string,
): (url: string) => boolean {
  const fileUrl = new URL(`file://${rendererIndexFile.replace(/\\/g, '/')}`);
  return (url: string) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (devServerUrl && parsed.origin === new URL(devServerUrl).origin) return true;
    return parsed.protocol === 'file:' && parsed.pathname === fileUrl.pathname;
  };
}
