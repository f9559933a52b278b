/**
 * The renderer's index.html carries the Electron build's Content-Security-Policy, which lets
 * the page connect to nothing but itself. Only the browser bridge talks over a WebSocket to
 * 127.0.0.1, so only the page the bridge serves gets that source, added here as it is served.
 */
export const BRIDGE_CONNECT_SRC = "connect-src 'self' ws://127.0.0.1:*";

const CSP_META = /(http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/;

export function withBridgeCsp(html: string): string {
  const match = CSP_META.exec(html);
  // A page without the policy would be served with none at all: refuse loudly instead.
  if (!match) throw new Error('The built index.html has no Content-Security-Policy meta tag.');
  const directives = match[2]!
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '' && !/^connect-src(\s|$)/.test(part));
  directives.push(BRIDGE_CONNECT_SRC);
  return html.replace(CSP_META, `$1${directives.join('; ')}$3`);
}
