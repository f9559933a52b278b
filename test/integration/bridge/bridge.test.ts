import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openEngine, type Engine } from '../../../main/core/engine.ts';
import { startBridge, type Bridge } from '../../../main/bridge/server.ts';
import { tempDir } from '../../support/tmp.ts';

let bridge: Bridge | null = null;
let engine: Engine | null = null;

afterEach(async () => {
  await bridge?.close();
  await engine?.close();
  bridge = null;
  engine = null;
});

async function start(): Promise<Bridge> {
  const dir = tempDir();
  const rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(
    path.join(rendererDir, 'index.html'),
    `<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'self'" /><title>Recvault</title>`,
  );
  fs.writeFileSync(path.join(dir, 'outside.txt'), 'private');
  engine = await openEngine({ dataDir: path.join(dir, 'data') });
  bridge = await startBridge({ engine, rendererDir });
  return bridge;
}

function connect(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function request(ws: WebSocket, id: number, channel: string, args: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'result' && message.id === id) resolve(message.result);
    });
    ws.send(JSON.stringify({ id, channel, args }));
  });
}

function rawGet(origin: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    http
      .get({ hostname, port, path: rawPath }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('loopback bridge', () => {
  it('listens on 127.0.0.1 only and puts the token in the URL fragment', async () => {
    const b = await start();
    expect(new URL(b.origin).hostname).toBe('127.0.0.1');
    expect(b.url).toBe(`${b.origin}/#token=${b.token}`);
    expect(b.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses a WebSocket without the token or with a wrong one', async () => {
    const b = await start();
    await expect(connect(`ws://127.0.0.1:${new URL(b.origin).port}/bridge`)).rejects.toThrow(
      'HTTP 401',
    );
    await expect(
      connect(`ws://127.0.0.1:${new URL(b.origin).port}/bridge?token=${b.token.slice(1)}x`),
    ).rejects.toThrow('HTTP 401');
  });

  it('refuses a WebSocket from another origin even with the token', async () => {
    const b = await start();
    const url = `ws://127.0.0.1:${new URL(b.origin).port}/bridge?token=${b.token}`;
    await expect(connect(url, 'https://evil.example')).rejects.toThrow('HTTP 403');
  });

  it('serves the handler table to a client with the token', async () => {
    const b = await start();
    const ws = await connect(
      `ws://127.0.0.1:${new URL(b.origin).port}/bridge?token=${b.token}`,
      b.origin,
    );
    const result = await request(ws, 1, 'appInfo', {});
    expect(result).toMatchObject({ ok: true, value: { name: 'Recvault', transport: 'bridge' } });
    expect(await request(ws, 2, 'deleteEverything', {})).toMatchObject({
      ok: false,
      code: 'unknown_channel',
    });
    expect(await request(ws, 3, 'appInfo', { x: 1 })).toMatchObject({
      ok: false,
      code: 'invalid_arguments',
    });
    ws.close();
  });

  it('pushes engine events to connected clients', async () => {
    const b = await start();
    const ws = await connect(
      `ws://127.0.0.1:${new URL(b.origin).port}/bridge?token=${b.token}`,
      b.origin,
    );
    const received = new Promise((resolve) =>
      ws.on('message', (data) => resolve(JSON.parse(String(data)))),
    );
    engine!.events.emit('accountsChanged', {});
    await expect(received).resolves.toEqual({
      type: 'event',
      channel: 'accountsChanged',
      payload: {},
    });
    ws.close();
  });

  it('serves the renderer and never a file outside it', async () => {
    const b = await start();
    const index = await rawGet(b.origin, '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>Recvault</title>');
    const escape = await rawGet(b.origin, '/../outside.txt');
    expect(escape.body).not.toContain('private');
    const encoded = await rawGet(b.origin, '/..%2Foutside.txt');
    expect(encoded.status).toBe(403);
    expect(encoded.body).not.toContain('private');
  });
});
