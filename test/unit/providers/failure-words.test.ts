// Issue 11: every provider failure reads as a plain sentence naming what failed (by its id),
// why, and the next step; the technical part (code, status, endpoint) only after "Details:".
import { describe, expect, it } from 'vitest';
import { splitDetails } from '../../../main/core/contract/failure-details.ts';
import { ProviderError, notReadyError } from '../../../main/core/providers/errors.ts';
import { createHttpClient } from '../../../main/core/providers/http/api-client.ts';
import { parseJson } from '../../../main/core/providers/http/parse-json.ts';
import { toRemoteStream } from '../../../main/core/providers/stream.ts';
import { z } from 'zod';
import type { ProviderKind } from '../../../main/core/providers/types.ts';

const PROVIDERS: [ProviderKind, string, string, string, string][] = [
  // provider, label, endpoint template, path, what the message must name
  [
    'kallglot',
    'Kallglot',
    '/v1/sessions/{id}/recordings',
    '/v1/sessions/sess_gone_1/recordings',
    'session sess_gone_1',
  ],
  ['envoy', 'Envoy', '/calls/{call_id}/recording', '/calls/call_77/recording', 'call call_77'],
  [
    'koreai',
    'Kore.ai',
    '/api/public/bot/{botId}/getSessions',
    '/api/public/bot/st-bot-9/getSessions',
    'bot st-bot-9',
  ],
];

async function failureFor(
  provider: ProviderKind,
  endpoint: string,
  path: string,
  status: number,
  body = JSON.stringify({ error: { code: 'resource_missing', message: 'No such thing' } }),
): Promise<ProviderError> {
  const http = createHttpClient({
    provider,
    baseUrl: 'https://api.test',
    credentialLabel: 'API key',
    fetch: async () => new Response(body, { status, headers: { 'x-request-id': 'req_42' } }),
  });
  try {
    await http.request({ endpoint, path });
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('no failure');
}

const STATUSES: [number, RegExp][] = [
  [
    404,
    /has no .+ \(it may have been deleted, or the id is mistyped\)\. Check the id, then retry\.$/,
  ],
  [410, /no longer has .+: it was deleted at the provider/],
  [402, /payment or credits .+ then retry\.$/],
  [400, /refused the request for .+ as not valid\. Check the id/],
  [503, /temporary problem answering for .+\. Retry later/],
];

describe.each(PROVIDERS)(
  '%s failures in plain words',
  (provider, label, endpoint, path, subject) => {
    it.each(STATUSES)(
      'HTTP %i names the id and the next step; the status is only a detail',
      async (status, words) => {
        const error = await failureFor(provider, endpoint, path, status);
        const { text, details } = splitDetails(error.message);
        expect(text.startsWith(label)).toBe(true);
        expect(text).toMatch(words);
        expect(text).toContain(subject);
        expect(text).not.toMatch(/HTTP|\/|resource_missing|\{/);
        expect(details).toContain(`HTTP ${status} from ${path}`);
        expect(details).toContain('request id req_42');
      },
    );

    it('a rejected key sends the user to Accounts, never echoing the server', async () => {
      const error = await failureFor(provider, endpoint, path, 401);
      const { text, details } = splitDetails(error.message);
      expect(text).toBe(
        `${label} rejected the API key. Enter the current API key in Accounts, test the account, then retry.`,
      );
      expect(details).not.toContain('No such thing');
    });

    it('a rate limit says Recvault waits by itself', async () => {
      const { text } = splitDetails((await failureFor(provider, endpoint, path, 429)).message);
      expect(text).toBe(
        `${label} asked Recvault to slow down (its rate limit was reached). Recvault waits and tries again by itself.`,
      );
    });

    it('an unreachable host says so in words, the system code a detail', async () => {
      const http = createHttpClient({
        provider,
        baseUrl: 'https://api.test',
        credentialLabel: 'API key',
        fetch: async () => {
          throw new TypeError('fetch failed', {
            cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
          });
        },
      });
      const error = (await http
        .request({ endpoint, path })
        .catch((e: unknown) => e)) as ProviderError;
      const { text, details } = splitDetails(error.message);
      expect(text).toBe(
        `${label} could not be reached (the connection was refused). Check the network and the account's address, then retry.`,
      );
      expect(details).toBe(`ECONNREFUSED; at ${path}`);
    });
  },
);

describe('recordings the provider cannot give yet', () => {
  it.each([
    ['processing', 'is still preparing this recording; Recvault tries again later by itself.'],
    ['failed', 'could not produce this recording, so there is nothing to archive.'],
    ['expired', 'no longer has this recording: it was deleted at the provider'],
  ])('status %s', (status, words) => {
    const error = notReadyError(
      {
        status: status === 'processing' ? 'processing' : status === 'failed' ? 'failed' : 'gone',
        providerStatus: status,
      } as never,
      { provider: 'kallglot', endpoint: '/v1/recordings/{id}', what: 'recording' },
    );
    const { text, details } = splitDetails(error.message);
    expect(text).toContain(words);
    expect(details).toBe(`Kallglot status "${status}"`);
  });
});

describe('a reply that cannot be trusted, and a download cut short', () => {
  it('malformed JSON and an undocumented field read as sentences, the field a detail', () => {
    const ctx = { provider: 'envoy' as const, endpoint: '/calls' };
    const bad = (() => {
      try {
        parseJson(z.object({ data: z.array(z.string()) }), '{"data": [1]}', ctx);
      } catch (error) {
        return splitDetails((error as Error).message);
      }
      throw new Error('parsed');
    })();
    expect(bad.text).toBe(
      'Envoy sent a reply that is not as documented (its data[0] field), so Recvault does not trust it. Retry; if it happens again, report it to Envoy.',
    );
    expect(bad.details).toContain('from /calls');
  });

  it('a file ended early says Recvault retries by itself', async () => {
    const response = new Response('abc', { status: 200, headers: { 'content-length': '10' } });
    const stream = toRemoteStream(response, {
      provider: 'kallglot',
      endpoint: '/v1/recordings/{id}/download',
      requestedOffset: 0,
    });
    const error = await (async () => {
      try {
        for await (const chunk of stream.body) void chunk;
      } catch (e) {
        return e as Error;
      }
      throw new Error('read whole');
    })();
    const { text, details } = splitDetails(error.message);
    expect(text).toBe(
      'Kallglot ended the file early (3 of 10 bytes). Recvault retries the download by itself; if it keeps failing, retry later.',
    );
    expect(details).toBe('HTTP 200 from /v1/recordings/{id}/download');
  });
});
