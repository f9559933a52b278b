import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { serveStatic } from '../../../main/bridge/static-files.ts';
import { builtFile } from '../../support/built.ts';

function csp(html: string): Map<string, string[]> {
  const match = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
  expect(match, 'CSP meta tag').not.toBeNull();
  return new Map(
    match![1]!.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values] as const;
    }),
  );
}

/** The body the bridge sends for `url`, through its real static handler. */
async function bridgeServes(rendererDir: string, url: string): Promise<string> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    const res = {
      writeHead: () => res,
      write: (chunk: Buffer | string) => chunks.push(Buffer.from(chunk)),
      end: (chunk?: Buffer | string) => {
        if (chunk !== undefined) chunks.push(Buffer.from(chunk));
        resolve(Buffer.concat(chunks).toString('utf8'));
        return res;
      },
      on: () => res,
      once: () => res,
      emit: () => true,
    };
    try {
      serveStatic(
        rendererDir,
        { method: 'GET', url } as IncomingMessage,
        res as unknown as ServerResponse,
      );
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

describe('two Content-Security-Policies from one built page', () => {
  const index = builtFile('renderer/index.html');

  it('the Electron window may connect to nothing but its own page', () => {
    const electron = csp(fs.readFileSync(index, 'utf8'));
    expect(electron.get('connect-src')).toEqual(["'self'"]);
    expect([...electron.values()].flat().join(' ')).not.toMatch(/ws:|127\.0\.0\.1/);
  });

  it('the bridge serves the same page with its WebSocket allowed and nothing else loosened', async () => {
    const electron = csp(fs.readFileSync(index, 'utf8'));
    for (const url of ['/', '/index.html', '/library/42']) {
      const bridge = csp(await bridgeServes(path.dirname(index), url));
      expect(bridge.get('connect-src'), url).toEqual(["'self'", 'ws://127.0.0.1:*']);
      for (const [name, values] of electron) {
        if (name !== 'connect-src') expect(bridge.get(name), `${url} ${name}`).toEqual(values);
      }
    }
  });
});
