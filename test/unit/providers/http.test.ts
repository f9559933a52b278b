// The shared HTTP helper: URL building, status → ProviderError kind, Retry-After / Reset,
// request ids, secret hygiene, timeouts, and zod parsing with field paths.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderError } from '../../../main/core/providers/errors.ts';
import { buildUrl, createHttpClient } from '../../../main/core/providers/http/api-client.ts';
import type { FetchLike } from '../../../main/core/providers/http/api-client.ts';
import { errorFromReply } from '../../../main/core/providers/http/error-from-reply.ts';
import { parseJson } from '../../../main/core/providers/http/parse-json.ts';

const SECRET = 'sk_live_supersecret_value_123';
const NOW = Date.parse('2026-03-26T12:00:00Z');

function clientReturning(response: () => Response, seen: RequestInit[] = []) {
  const fetch: FetchLike = async (_input, init) => {
    seen.push(init ?? {});
    return response();
  };
  return createHttpClient({
    provider: 'kallglot',
    baseUrl: 'https://api.example.test',
    credentialLabel: 'API key',
    secrets: [SECRET],
    authHeaders: () => ({ authorization: `Bearer ${SECRET}` }),
    fetch,
    now: () => NOW,
  });
}

async function errorOf(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

const ctx = {
  provider: 'kallglot' as const,
  endpoint: '/v1/recordings/{id}',
  credentialLabel: 'API key',
  now: NOW,
};

describe('buildUrl', () => {
  it('keeps the base path, joins slashes, drops empty query values', () => {
    expect(buildUrl('https://tryenvoy.ai/api/v1/', '/calls/x/recording').toString()).toBe(
      'https://tryenvoy.ai/api/v1/calls/x/recording',
    );
    expect(
      buildUrl('https://a.test', 'v1/x', { a: 1, b: undefined, c: null, d: 'y z' }).toString(),
    ).toBe('https://a.test/v1/x?a=1&d=y+z');
    // A protocol-relative path cannot move the request to another host.
    expect(buildUrl('https://a.test', '//evil.test/x').host).toBe('a.test');
  });
});

describe('status mapping', () => {
  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [402, 'payment_required'],
    [404, 'not_found'],
    [410, 'gone'],
    [429, 'rate_limited'],
    [400, 'bad_request'],
    [422, 'bad_request'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [408, 'transient'],
  ])('%i → %s', (status, kind) => {
    expect(errorFromReply(status, new Headers(), '', ctx).kind).toBe(kind);
  });

  it('auth errors name the credential, never contain it, even if the server echoes it', () => {
    const body = JSON.stringify({
      error: { code: 'invalid_api_key', message: `Bad key ${SECRET}` },
    });
    const error = errorFromReply(401, new Headers(), body, { ...ctx, secrets: [SECRET] });
    expect(error.message).toContain('API key');
    expect(error.message).toContain('invalid_api_key');
    expect(error.message).not.toContain(SECRET);
  });

  it('other errors keep the server message but scrub secrets and control characters', () => {
    const body = JSON.stringify({ error: { message: `no ${SECRET}\r\nX: y` } });
    const error = errorFromReply(400, new Headers(), body, { ...ctx, secrets: [SECRET] });
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toMatch(/[\r\n]/);
  });

  it('takes the request id from X-Request-ID, else from the JSON error', () => {
    const body = JSON.stringify({ error: { request_id: 'req_body' } });
    expect(
      errorFromReply(404, new Headers({ 'x-request-id': 'req_hdr' }), body, ctx).requestId,
    ).toBe('req_hdr');
    expect(errorFromReply(404, new Headers(), body, ctx).requestId).toBe('req_body');
  });
});

describe('429 waits', () => {
  it('Retry-After in seconds', () => {
    const e = errorFromReply(429, new Headers({ 'retry-after': '12' }), '', ctx);
    expect(e.retryAfterMs).toBe(12_000);
  });
  it('Retry-After as an HTTP date', () => {
    const at = new Date(NOW + 30_000).toUTCString();
    expect(errorFromReply(429, new Headers({ 'retry-after': at }), '', ctx).retryAfterMs).toBe(
      30_000,
    );
  });
  it('X-RateLimit-Reset in unix seconds', () => {
    const reset = String(NOW / 1000 + 45);
    expect(
      errorFromReply(429, new Headers({ 'x-ratelimit-reset': reset }), '', ctx).retryAfterMs,
    ).toBe(45_000);
  });
  it('the JSON retry_after, and the longest of all when several disagree', () => {
    const body = JSON.stringify({ error: { retry_after: 20 } });
    expect(errorFromReply(429, new Headers(), body, ctx).retryAfterMs).toBe(20_000);
    const headers = new Headers({
      'retry-after': '5',
      'x-ratelimit-reset': String(NOW / 1000 + 9),
    });
    expect(errorFromReply(429, headers, body, ctx).retryAfterMs).toBe(20_000);
  });
  it('no hint → null (backoff decides)', () => {
    expect(errorFromReply(429, new Headers(), '', ctx).retryAfterMs).toBeNull();
  });
});

describe('parseJson', () => {
  const schema = z.object({ data: z.array(z.object({ id: z.string(), size: z.number() })) });
  const pctx = { provider: 'envoy' as const, endpoint: '/calls' };

  it('names the field path of the first problem', () => {
    const error = (() => {
      try {
        parseJson(
          schema,
          JSON.stringify({
            data: [
              { id: 'a', size: 1 },
              { id: 'b', size: 'x' },
            ],
          }),
          pctx,
        );
      } catch (e) {
        return e as ProviderError;
      }
      throw new Error('parsed');
    })();
    expect(error).toMatchObject({
      kind: 'invalid_response',
      field: 'data[1].size',
      endpoint: '/calls',
    });
    expect(error.message).toContain('Envoy');
    expect(error.message).toContain('data[1].size');
  });

  it('malformed JSON is invalid_response too', () => {
    expect(() => parseJson(schema, '{"data": [', pctx)).toThrow(/malformed JSON from \/calls/);
  });

  it('returns the parsed value', () => {
    expect(parseJson(schema, '{"data":[{"id":"a","size":2}]}', pctx)).toEqual({
      data: [{ id: 'a', size: 2 }],
    });
  });
});

describe('createHttpClient', () => {
  it('sends auth headers to the API, none when auth is false', async () => {
    const seen: RequestInit[] = [];
    const http = clientReturning(() => new Response('{}'), seen);
    await http.send({ endpoint: '/x', path: '/x' });
    await http.send({ endpoint: 'storage', path: 'https://storage.test/file?sig=1', auth: false });
    expect(new Headers(seen[0]?.headers).get('authorization')).toBe(`Bearer ${SECRET}`);
    expect(new Headers(seen[1]?.headers).get('authorization')).toBeNull();
  });

  it('request() throws the mapped error; json() parses 2xx and maps 202 to not_ready', async () => {
    const http = clientReturning(() => new Response('{"error":{"code":"x"}}', { status: 410 }));
    expect((await errorOf(http.request({ endpoint: '/r/{id}', path: '/r/1' }))).kind).toBe('gone');
    const pending = clientReturning(() => new Response('{}', { status: 202 }));
    expect((await errorOf(pending.json(z.object({}), { endpoint: '/r', path: '/r' }))).kind).toBe(
      'not_ready',
    );
  });

  it('network failures are transient with the system code, never the URL query', async () => {
    const http = createHttpClient({
      provider: 'envoy',
      baseUrl: 'https://api.test',
      credentialLabel: 'API token',
      fetch: async () => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
        });
      },
    });
    const error = await errorOf(
      http.send({ endpoint: 'storage.test', path: 'https://storage.test/f?signature=abc' }),
    );
    expect(error.kind).toBe('transient');
    expect(error.message).toContain('ECONNRESET');
    expect(error.message).not.toContain('signature');
  });

  it('times out waiting for headers → transient', async () => {
    const http = createHttpClient({
      provider: 'envoy',
      baseUrl: 'https://api.test',
      credentialLabel: 'API token',
      timeoutMs: 30,
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    });
    const error = await errorOf(http.send({ endpoint: '/calls', path: '/calls' }));
    expect(error.kind).toBe('transient');
    expect(error.message).toContain('30 ms');
  });

  it('a caller abort is rethrown as the abort reason, not as a provider error', async () => {
    const controller = new AbortController();
    const http = createHttpClient({
      provider: 'envoy',
      baseUrl: 'https://api.test',
      credentialLabel: 'API token',
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    });
    const pending = http.send({ endpoint: '/calls', path: '/calls', signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});
