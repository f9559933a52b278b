import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatchRequest } from '../core/api/dispatch.ts';
import type { Engine } from '../core/engine.ts';
import { MAX_REQUEST_MESSAGE_BYTES } from '../core/contract/limits.ts';
import { BRIDGE_PATH, bridgeRequestSchema, type BridgeServerMessage } from './protocol.ts';
import { MEDIA_PREFIX, serveMediaRoute } from './media-route.ts';
import { createMediaSigner, type MediaSigner } from './media-signer.ts';
import { serveStatic } from './static-files.ts';

export interface BridgeOptions {
  engine: Engine;
  rendererDir: string;
  port?: number;
  /** Fixed token (tests); a random one per run otherwise. */
  token?: string;
  /** Signs the engine's media URLs (its platform.mediaUrl); one of this run otherwise. */
  media?: MediaSigner;
  log?: (line: string) => void;
}

export interface Bridge {
  /** Origin the bridge serves, e.g. http://127.0.0.1:5179 */
  origin: string;
  /** URL to open in a browser: the token travels in the fragment, never to a server log. */
  url: string;
  token: string;
  close(): Promise<void>;
}

/**
 * The loopback bridge: the engine's handler table and events over a WebSocket on 127.0.0.1,
 * plus the built renderer, so the real UI runs in a browser against the real engine.
 * Connections need the per-run token and must come from the bridge's own origin.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const log = options.log ?? (() => {});
  const media = options.media ?? createMediaSigner();
  // Set once listening: a page of another site whose name resolves to 127.0.0.1 (DNS
  // rebinding) sends its own name as Host and is refused.
  let ownHosts = new Set<string>();
  const server = http.createServer((req, res) => {
    if (!ownHosts.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith(MEDIA_PREFIX)) {
      void serveMediaRoute(options.engine, media, url, req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    serveStatic(options.rendererDir, req, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_MESSAGE_BYTES });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  ownHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const refusal = ownHosts.has(req.headers.host ?? '')
      ? refuseUpgrade(url, req.headers.origin, origin, token)
      : '421 Misdirected Request';
    if (refusal) {
      log(`bridge: refused a connection (${refusal})`);
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveClient(ws, options.engine, log));
  });

  return {
    origin,
    url: `${origin}/#token=${token}`,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function refuseUpgrade(
  url: URL,
  requestOrigin: string | undefined,
  ownOrigin: string,
  token: string,
): string | null {
  if (url.pathname !== BRIDGE_PATH) return '404 Not Found';
  if (requestOrigin !== undefined && requestOrigin !== ownOrigin) return '403 Forbidden';
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    return '401 Unauthorized';
  }
  return null;
}

function serveClient(ws: WebSocket, engine: Engine, log: (line: string) => void): void {
  const send = (message: BridgeServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = engine.events.subscribe((channel, payload) =>
    send({ type: 'event', channel, payload }),
  );
  ws.on('close', unsubscribe);
  ws.on('message', (data) => {
    let request;
    try {
      request = bridgeRequestSchema.parse(JSON.parse(String(data)));
    } catch {
      log('bridge: dropped a malformed message');
      return;
    }
    void dispatchRequest(engine.handlers, request.channel, request.args, (channel, error) =>
      log(`bridge: ${channel} failed: ${error instanceof Error ? error.stack : String(error)}`),
    ).then((result) => send({ type: 'result', id: request.id, result }));
  });
}
