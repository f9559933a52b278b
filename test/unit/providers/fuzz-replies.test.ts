// Property-based fuzzing of each provider client's reading of its API's JSON: every reply is
// drawn at random (shaped like the provider's documented replies, or any JSON, or not JSON at
// all, with any status), served in process through the clients' fetch seam. Whatever comes
// back, a client either lists recordings that match the one recording schema the engine
// stores, or fails with a ProviderError (which the engine shows and records) — never a
// TypeError, a ZodError or an unhandled rejection.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProviderError } from '../../../main/core/providers/errors.ts';
import type { FetchLike } from '../../../main/core/providers/http/api-client.ts';
import { createProviderClient } from '../../../main/core/providers/index.ts';
import {
  envoyCallListSchema,
  envoyRecordingSchema,
} from '../../../main/core/providers/envoy-schemas.ts';
import {
  kallglotListSchema,
  kallglotRecordingSchema,
} from '../../../main/core/providers/kallglot-schemas.ts';
import {
  koreaiRecordingsReplySchema,
  koreaiSessionsReplySchema,
} from '../../../main/core/providers/koreai-schemas.ts';
import type { RateLimiter } from '../../../main/core/providers/rate-limit.ts';
import {
  remoteRecordingSchema,
  type AccountConfig,
  type ProviderClient,
  type Selection,
} from '../../../main/core/providers/types.ts';
import { nearValid } from '../../support/near-valid.ts';
import type { z } from 'zod';

const RUNS_PER_PROVIDER = 200;
/** A listing still asking after this many replies is cut off here (as offline would). */
const MAX_REQUESTS = 200;
const MAX_ITEMS = 500;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => void process.off('unhandledRejection', onUnhandled));

const noLimit: RateLimiter = {
  acquire: () => Promise.resolve(),
  observe: () => {},
  pauseFor: () => {},
  settle: () => {},
  inForce: () => ({ requestsPerMinute: Infinity, source: 'user' }),
  pausedUntil: 0,
};

interface Reply {
  status: number;
  body: string;
  contentType: string;
}

/** Strings a provider could put in any free-form field: paths, markup, dates, control codes. */
const freeText = fc.oneof(
  fc.constantFrom('ready', 'success', 'mp3', 'wav', '../../etc/passwd', 'a/b', '', '\u202e', 'CON'),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const anyDate = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-01-31', 'not a date', '', '0000-00-00T00:00:00Z'),
);
const plainId = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const amount = fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e12, noNaN: true }), fc.constant(null));
// Now and then a channel no client knows: it must be refused, never stored.
const channel = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('mixed', 'agent', 'customer') },
  { weight: 1, arbitrary: freeText },
);

const kallglotRecording = fc.record({
  id: fc.oneof(fc.constant('rec_1'), plainId),
  // Mostly the session asked for: another one is refused before anything else is looked at.
  session_id: fc.oneof(
    { weight: 5, arbitrary: fc.constant('sess_1') },
    { weight: 1, arbitrary: plainId },
  ),
  channel,
  status: fc.oneof(
    fc.constantFrom('ready', 'processing', 'failed', 'deleted'),
    freeText.filter(Boolean),
  ),
  duration: amount,
  format: fc.option(freeText),
  size: fc.option(fc.nat()),
  download_url: fc.option(freeText),
  created_at: fc.option(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
});

/** Replies that pass each provider's schema, with every free-form value fuzzed. */
const SCHEMA_VALID: Record<AccountConfig['provider'], fc.Arbitrary<unknown>[]> = {
  kallglot: [
    fc.record({
      data: fc.array(kallglotRecording, { maxLength: 5 }),
      has_more: fc.option(fc.boolean(), { nil: undefined }),
    }),
    kallglotRecording,
  ],
  koreai: [
    fc.record({
      sessions: fc.array(
        fc.record({ sessionId: plainId, userId: plainId, start_time: fc.option(anyDate) }),
        { maxLength: 4 },
      ),
      moreAvailable: fc.option(fc.boolean()),
      total: fc.option(fc.integer()),
    }),
    fc.record({
      status: fc.oneof(fc.constant('success'), freeText.filter(Boolean)),
      recording: fc.option(
        fc.array(fc.record({ fileName: freeText, fileUrl: freeText.filter(Boolean) }), {
          maxLength: 4,
        }),
      ),
    }),
  ],
  envoy: [
    fc.record({
      data: fc.array(
        fc.record({
          id: plainId,
          status: fc.option(freeText),
          call_time: fc.option(anyDate),
          phone_number: fc.option(freeText),
          recording_status: fc.option(freeText),
        }),
        { maxLength: 4 },
      ),
      pagination: fc.record({
        page: fc.integer({ min: -1, max: 3 }),
        has_next: fc.option(fc.boolean()),
      }),
    }),
    fc.record({
      call_id: plainId,
      url: fc.option(freeText),
      content_type: fc.option(freeText),
      recording_status: fc.option(freeText),
      duration_seconds: fc.option(fc.double({ min: 0, max: 1e9, noNaN: true })),
      file_size_bytes: fc.option(fc.nat()),
    }),
  ],
};

function replies(provider: AccountConfig['provider'], schemas: z.ZodType[]): fc.Arbitrary<Reply[]> {
  const body = fc.oneof(
    { weight: 6, arbitrary: fc.oneof(...SCHEMA_VALID[provider]).map((v) => JSON.stringify(v)) },
    {
      weight: 5,
      arbitrary: fc
        .oneof(...schemas.map((s) => nearValid(s)))
        .map((v) => JSON.stringify(v) ?? 'null'),
    },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', '{', 'null', '[]', '<html>oops</html>', '{"data":', '\u0000'),
    },
  );
  const reply = fc.record({
    status: fc.oneof(
      { weight: 6, arbitrary: fc.constant(200) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(201, 204, 301, 400, 401, 403, 404, 410, 429, 500, 503),
      },
    ),
    body,
    contentType: fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/html',
    ),
  });
  return fc.array(reply, { minLength: 1, maxLength: 6 });
}

/** Serves the replies in turn (the last one again and again), counting requests. */
function servedBy(list: Reply[]): { fetch: FetchLike; requests: () => number } {
  let count = 0;
  const fetch: FetchLike = (_input, init) => {
    count++;
    if (count > MAX_REQUESTS) return Promise.reject(new TypeError('fetch failed'));
    const reply = list[Math.min(count - 1, list.length - 1)]!;
    const noBody = reply.status === 204 || reply.status === 301;
    if (init?.signal?.aborted) return Promise.reject(init.signal.reason as Error);
    return Promise.resolve(
      new Response(noBody ? null : reply.body, {
        status: reply.status,
        headers: {
          'content-type': reply.contentType,
          ...(reply.status === 301 ? { location: 'https://elsewhere.invalid/' } : {}),
          ...(reply.status === 429 ? { 'retry-after': '1' } : {}),
        },
      }),
    );
  };
  return { fetch, requests: () => count };
}

/** What one client call may end in: a value, or a ProviderError. */
async function outcome<T>(run: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (!isProviderError(error)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
    return { ok: false };
  }
}

async function listed(client: ProviderClient, selection: Selection) {
  const items: unknown[] = [];
  for await (const item of client.discover(selection)) {
    items.push(item);
    if (items.length >= MAX_ITEMS) break;
  }
  return items;
}

const PROVIDERS: {
  config: AccountConfig;
  schemas: z.ZodType[];
  selections: Selection[];
}[] = [
  {
    config: { provider: 'kallglot', baseUrl: 'https://api.fuzz.invalid', apiKey: 'sk_live_fuzz' },
    schemas: [kallglotListSchema, kallglotRecordingSchema],
    selections: [
      { kind: 'kallglot-session', sessionId: 'sess_1' },
      { kind: 'kallglot-recording', recordingId: 'rec_1' },
    ],
  },
  {
    config: {
      provider: 'koreai',
      host: 'https://bots.fuzz.invalid',
      botId: 'st-1',
      clientId: 'cs-1',
      clientSecret: 'fuzz-secret',
    },
    schemas: [koreaiSessionsReplySchema, koreaiRecordingsReplySchema],
    selections: [
      { kind: 'koreai-session', sessionId: 'sess_1', userId: 'u1' },
      { kind: 'koreai-range', from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' },
    ],
  },
  {
    config: { provider: 'envoy', baseUrl: 'https://envoy.fuzz.invalid/api/v1', apiKey: 'ek_fuzz' },
    schemas: [envoyCallListSchema, envoyRecordingSchema],
    selections: [
      { kind: 'envoy-call', callId: 'call_1' },
      { kind: 'envoy-range', from: '2026-01-01', to: '2026-01-31' },
    ],
  },
];

describe('provider clients reading any reply', () => {
  for (const { config, schemas, selections } of PROVIDERS) {
    it(`${config.provider}: lists valid recordings or fails with a ProviderError`, async () => {
      await fc.assert(
        fc.asyncProperty(
          replies(config.provider, schemas),
          fc.constantFrom(...selections),
          async (list, selection) => {
            const served = servedBy(list);
            const client = createProviderClient(config, {
              fetch: served.fetch,
              limiter: noLimit,
              retry: { maxAttempts: 1 },
              timeoutMs: 2_000,
            });
            await outcome(() => client.test());
            const found = await outcome(() => listed(client, selection));
            if (found.ok) {
              for (const item of found.value) {
                const parsed = remoteRecordingSchema.safeParse(item);
                expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
              }
              const [first] = found.value as z.output<typeof remoteRecordingSchema>[];
              if (first) await outcome(() => client.describe(first));
            }
          },
        ),
        { numRuns: RUNS_PER_PROVIDER },
      );
      expect(unhandled).toEqual([]);
    });
  }
});
