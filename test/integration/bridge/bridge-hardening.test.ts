// The bridge against a hostile page or a broken link: a foreign Host (DNS rebinding) is
// refused, media URLs are signed per recording (the session token is not in them), the page's
// CSP and frame refusal are real headers, the largest valid request passes and the UI's client
// reconnects when the socket drops.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMediaSigner, type MediaSigner } from '../../../main/bridge/media-signer.ts';
import { startBridge, type Bridge } from '../../../main/bridge/server.ts';
import type { Engine } from '../../../main/core/engine.ts';
import { createBridgeApi } from '../../../renderer/src/lib/bridge-client.ts';
import { delay } from '../../support/async.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { openTestEngine } from '../../support/engine.ts';
import { request } from '../../support/handlers.ts';
import { tempDir } from '../../support/tmp.ts';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const PAGE = `<!doctype html><html><head><meta
      http-equiv="Content-Security-Policy"
      content="default-src 'self'; connect-src 'self'" /><title>Recvault</title></head></html>`;

async function start(
  options: { engine?: Engine; media?: MediaSigner; port?: number; token?: string } = {},
): Promise<{ bridge: Bridge; engine: Engine }> {
  const dir = tempDir();
  const rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), PAGE);
  const engine = options.engine ?? (await openTestEngine({}, { dataDir: path.join(dir, 'data') }));
  if (!options.engine) closers.push(() => engine.close());
  const bridge = await startBridge({ engine, rendererDir, ...options });
  closers.push(() => bridge.close());
  return { bridge, engine };
}

function get(
  origin: string,
  rawPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    http
      .get({ hostname, port, path: rawPath, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      })
      .on('error', reject);
  });
}

function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const wsUrl = (bridge: Bridge) =>
  `${bridge.origin.replace('http', 'ws')}/bridge?token=${bridge.token}`;

describe('the bridge', () => {
  it('refuses a request or a WebSocket whose Host is not its own (DNS rebinding)', async () => {
    const { bridge } = await start();
    const port = new URL(bridge.origin).port;
    expect((await get(bridge.origin, '/')).status).toBe(200);
    expect((await get(bridge.origin, '/', { host: `rebound.example:${port}` })).status).toBe(421);
    expect((await get(bridge.origin, '/media/1?sig=x', { host: 'rebound.example' })).status).toBe(
      421,
    );
    await expect(connect(wsUrl(bridge), { host: `rebound.example:${port}` })).rejects.toThrow(
      'HTTP 421',
    );
    (await connect(wsUrl(bridge))).close();
  });

  it("sends the page's CSP, with frame-ancestors, and X-Frame-Options as headers", async () => {
    const { bridge } = await start();
    const page = await get(bridge.origin, '/');
    expect(page.headers['x-frame-options']).toBe('DENY');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain('ws://127.0.0.1:*');
  });

  it('carries the largest valid request (an id import of 20 MB) without dropping the socket', async () => {
    const { bridge } = await start();
    const ws = await connect(wsUrl(bridge));
    const ids = Array.from(
      { length: 20_000_000 / 25 },
      (_, i) => `sess_${String(i).padStart(18, '0')}`,
    );
    const text = ids.join('\n').slice(0, 20_000_000);
    const answer = new Promise<{ result: { ok: boolean; value?: { rows: unknown[] } } }>(
      (resolve, reject) => {
        ws.once('message', (data) => resolve(JSON.parse(String(data))));
        ws.once('close', (code) => reject(new Error(`socket closed (${code})`)));
      },
    );
    ws.send(JSON.stringify({ id: 1, channel: 'idsParse', args: { text } }));
    const { result } = await answer;
    expect(result.ok).toBe(true);
    expect(result.value!.rows.length).toBeGreaterThan(700_000);
    ws.close();
  }, 60_000);

  it("the UI's client reconnects after the socket drops (a restarted bridge)", async () => {
    const first = await start();
    const port = Number(new URL(first.bridge.origin).port);
    const api = createBridgeApi(wsUrl(first.bridge));
    expect(await api.appInfo({})).toMatchObject({ ok: true });
    await first.bridge.close();
    expect(await api.appInfo({})).toMatchObject({ ok: false, code: 'unreachable' });
    await start({ engine: first.engine, port, token: first.bridge.token });
    let answer: Awaited<ReturnType<typeof api.appInfo>> | null = null;
    for (let i = 0; i < 100 && !answer?.ok; i++) {
      await delay(50);
      answer = await api.appInfo({});
    }
    expect(answer).toMatchObject({ ok: true, value: { name: 'Recvault' } });
  });
});

describe('media URLs', () => {
  let fake: FakeKallglot;

  it('are signed for one recording: no session token in them, and no other recording opens', async () => {
    fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_media')] });
    closers.push(() => fake.close());
    const media = createMediaSigner();
    const engine = await openTestEngine(
      { KEY: fake.apiKey },
      { platform: { cipher: null, mediaUrl: media.url } },
    );
    closers.push(() => engine.close());
    const account = engine.accounts.add(
      'kallglot',
      { name: 'A', baseUrl: fake.baseUrl },
      { secretEnv: 'KEY' },
    );
    const job = engine.jobs.start(account.id, {
      sessions: [{ id: 'sess_media' }],
      recordingIds: [],
      callIds: [],
    });
    await engine.jobs.wait(job.id);
    const [first, second] = (
      await request(engine, 'librarySearch', { query: { text: 'sess_media' } })
    ).rows.map((r) => r.id);
    const { bridge } = await start({ engine, media });

    const url = await request(engine, 'recordingMedia', { id: first! });
    expect(url.url).not.toContain(bridge.token);
    const served = await get(bridge.origin, url.url);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toMatch(/^audio\//);
    expect(served.body.length).toBeGreaterThan(1000);
    // The signature of one recording does not open another, nor does the session token.
    const other = url.url.replace(`/media/${first}?`, `/media/${second}?`);
    expect((await get(bridge.origin, other)).status).toBe(401);
    expect((await get(bridge.origin, `/media/${first}?token=${bridge.token}`)).status).toBe(401);
  });
});
