import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { withBridgeCsp } from './bridge-csp.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Serves the built renderer. The request path is resolved against `rootDir` and refused if
 * it leaves it; unknown paths fall back to index.html (a single-page app).
 */
export function serveStatic(rootDir: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const root = path.resolve(rootDir);
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    res.writeHead(400).end('Bad path');
    return;
  }
  if (pathname.includes('\0')) {
    res.writeHead(400).end('Bad path');
    return;
  }
  let file = path.resolve(root, `.${pathname}`);
  if (file !== root && !file.startsWith(root + path.sep)) {
    res.writeHead(403).end('Forbidden');
    return;
  }
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
  const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
  const headers: Record<string, string> = {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    // No other page may frame the UI (clickjacking): a meta tag cannot say this.
    'X-Frame-Options': 'DENY',
  };
  let page: string | null = null;
  if (file === path.join(root, 'index.html')) {
    try {
      page = withBridgeCsp(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(error));
      return;
    }
    // The page's policy as a real header too, with what only a header can carry.
    headers['Content-Security-Policy'] = `${pagePolicy(page)}; frame-ancestors 'none'`;
  }
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  if (page !== null) {
    res.end(page);
    return;
  }
  fs.createReadStream(file).pipe(res);
}

/** The policy of the page's Content-Security-Policy meta tag (withBridgeCsp ensures one). */
function pagePolicy(html: string): string {
  return (
    /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1] ??
    "default-src 'none'"
  );
}
