// A download over https is never redirected to plain http (fetch allows it; a signed link or
// a recording's bytes would then cross the network in the clear).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeRequest } from '../../../main/core/providers/http/node-transport.ts';
import { tempDir } from '../../support/tmp.ts';

let secure: https.Server;
let plain: http.Server;
let plainHits = 0;
let secureUrl: string;
let plainUrl: string;
const previousTls = process.env.NODE_TLS_REJECT_UNAUTHORIZED;

beforeAll(async () => {
  const dir = tempDir('recvault-tls-');
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  // The test's own self-signed certificate (this file's worker only).
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  plain = http.createServer((_req, res) => {
    plainHits++;
    res.end('audio bytes in the clear');
  });
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/file.mp3`;
  secure = https.createServer(
    { key: fs.readFileSync(key), cert: fs.readFileSync(cert) },
    (req, res) => {
      if (req.url === '/same') res.writeHead(302, { location: '/final' }).end();
      else if (req.url === '/final') res.end('ok');
      else res.writeHead(302, { location: plainUrl }).end();
    },
  );
  await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
  secureUrl = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
});
afterAll(async () => {
  if (previousTls === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previousTls;
  await new Promise((resolve) => secure.close(resolve));
  await new Promise((resolve) => plain.close(resolve));
});

describe('download redirects', () => {
  it('from https to http are refused; the http host is never asked', async () => {
    await expect(
      nodeRequest(new URL(`${secureUrl}/signed`), { headers: {}, redirect: 'follow' }),
    ).rejects.toThrow(/https to http/);
    expect(plainHits).toBe(0);
  });

  it('within https are followed', async () => {
    const reply = await nodeRequest(new URL(`${secureUrl}/same`), {
      headers: {},
      redirect: 'follow',
    });
    expect(reply.status).toBe(200);
    reply.body?.resume();
  });
});
