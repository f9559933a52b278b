// Kore.ai discovery by date range through getSessions: windows under 7 days, newest first,
// skip/limit pagination, the user filter, and each session's recordings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../main/core/providers/errors.ts';
import { caught, collect } from '../../support/async.ts';
import { startKoreaiWorld } from '../../support/provider-clients.ts';
import type { KoreaiWorld } from '../../support/provider-clients.ts';

let world: KoreaiWorld;
const day = (d: number, hour = 12): string =>
  `2024-02-${String(d).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;

beforeAll(async () => {
  world = await startKoreaiWorld();
  // Twelve sessions over 12 days, two users; one still in progress; one outside the range.
  for (let d = 1; d <= 12; d++) {
    world.fake.addSession({
      sessionId: `sess-${String(d).padStart(2, '0')}`,
      userId: d % 2 === 0 ? 'even@example.com' : 'odd@example.com',
      startTime: day(d),
      status: d === 7 ? 'call_in_progress' : 'success',
      files: [
        {
          fileName: `file${d}-merged.mp3`,
          data: Buffer.from(`audio of day ${d}`),
          contentType: 'audio/mpeg',
          ext: 'mp3',
        },
      ],
    });
  }
  world.fake.addSession({
    sessionId: 'sess-outside',
    userId: 'odd@example.com',
    startTime: '2024-03-20T00:00:00.000Z',
  });
});
afterAll(async () => {
  await world.close();
});

const sessionCalls = (from: number) =>
  world.fake.requests.slice(from).filter((r) => r.path.endsWith('/getSessions'));

describe('Kore.ai getSessions discovery', () => {
  it('walks the range in windows under 7 days, newest first, paging with skip/limit', async () => {
    const before = world.fake.requests.length;
    const client = world.client({}, { sessionsPageSize: 2 });
    const found = await collect(
      client.discover({ kind: 'koreai-range', from: '2024-02-01', to: '2024-02-12' }),
    );
    expect(found.map((r) => r.sessionId)).toEqual(
      Array.from({ length: 12 }, (_, i) => `sess-${String(12 - i).padStart(2, '0')}`),
    );
    const calls = sessionCalls(before);
    expect(calls.every((c) => c.method === 'POST' && c.rejection === null)).toBe(true);
    const bodies = calls.map((c) => JSON.parse(c.body) as Record<string, unknown>);
    for (const body of bodies) {
      expect(body.limit).toBe(2);
      expect(typeof body.skip).toBe('number');
      const span = Date.parse(body.dateTo as string) - Date.parse(body.dateFrom as string);
      expect(span).toBeLessThan(7 * 86_400_000);
    }
    // Several windows, and within one window skip grows by the page size.
    expect(new Set(bodies.map((b) => b.dateTo)).size).toBeGreaterThan(1);
    expect(bodies.some((b) => b.skip === 2)).toBe(true);
    expect(bodies[0]!.dateTo).toBe('2024-02-12T23:59:59.999Z');
  });

  it('carries each session user id and start time, and keeps pending sessions', async () => {
    const found = await collect(
      world.client().discover({ kind: 'koreai-range', from: '2024-02-06', to: '2024-02-08' }),
    );
    expect(found.map((r) => [r.sessionId, r.userId, r.status])).toEqual([
      ['sess-08', 'even@example.com', 'ready'],
      ['sess-07', 'odd@example.com', 'pending'],
      ['sess-06', 'even@example.com', 'ready'],
    ]);
    expect(found[0]!.recordedAt).toBe(day(8));
    expect(found[0]!.format).toBe('mp3');
    expect(found[1]!.providerStatus).toBe('call_in_progress');
    // The recordings request used the user id that getSessions reported for the session.
    const recordingCalls = world.fake.requests.filter((r) => r.path.endsWith('/v2/recordings'));
    expect(recordingCalls.at(-1)!.query).toEqual({
      sessionId: 'sess-06',
      userId: 'even@example.com',
    });
  });

  it('passes the user filter to getSessions', async () => {
    const before = world.fake.requests.length;
    const found = await collect(
      world.client().discover({
        kind: 'koreai-range',
        from: '2024-02-01',
        to: '2024-02-05',
        userId: 'odd@example.com',
      }),
    );
    expect(found.map((r) => r.sessionId)).toEqual(['sess-05', 'sess-03', 'sess-01']);
    expect(sessionCalls(before).every((c) => JSON.parse(c.body).userId === 'odd@example.com')).toBe(
      true,
    );
  });

  it('keeps the range recordedAt when describe() refreshes a file', async () => {
    const [first] = await collect(
      world.client().discover({ kind: 'koreai-range', from: '2024-02-10', to: '2024-02-10' }),
    );
    const fresh = await world.client().describe(first!);
    expect(fresh.remoteId).toBe(first!.remoteId);
    expect(fresh.recordedAt).toBe(day(10));
  });

  it('retries a getSessions page after a 5xx and a malformed reply is invalid_response', async () => {
    world.fake.faults.inject({ type: 'server_error' }, { match: '/getSessions' });
    const found = await collect(
      world.client().discover({ kind: 'koreai-range', from: '2024-02-11', to: '2024-02-12' }),
    );
    expect(found).toHaveLength(2);
    world.fake.faults.inject({ type: 'malformed_json' }, { match: '/getSessions' });
    const error = await caught(() =>
      collect(
        world.client().discover({ kind: 'koreai-range', from: '2024-02-11', to: '2024-02-12' }),
      ),
    );
    expect(error).toMatchObject({
      kind: 'invalid_response',
      endpoint: '/api/public/bot/{botId}/getSessions',
    });
  });

  it('refuses a range whose dates do not parse, before any request', async () => {
    const before = world.fake.requests.length;
    const error = await caught(() =>
      collect(
        world.client().discover({ kind: 'koreai-range', from: 'last week', to: '2024-02-12' }),
      ),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('bad_request');
    expect(world.fake.requests.length).toBe(before);
  });
});
