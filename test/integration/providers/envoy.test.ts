// Contract of the Envoy client against the fake: auth and organization header, the call list
// with filters and page-number pagination, single calls, recording metadata and statuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../main/core/providers/errors.ts';
import type { RemoteRecording } from '../../../main/core/providers/types.ts';
import { caught, collect } from '../../support/async.ts';
import { startEnvoyWorld } from '../../support/provider-clients.ts';
import type { EnvoyWorld } from '../../support/provider-clients.ts';

let world: EnvoyWorld;
beforeAll(async () => {
  world = await startEnvoyWorld();
});
afterAll(async () => {
  await world.close();
});

const listCalls = (from: number) =>
  world.fake.requests.slice(from).filter((r) => r.path === '/api/v1/calls');

describe('Envoy authentication', () => {
  it('sends the API key as a Bearer token and no organization header unless configured', async () => {
    await world.client().test();
    const request = world.fake.requests.at(-1)!;
    expect(request.status).toBe(200);
    expect(request.headers.authorization).toBe(`Bearer ${world.fake.apiKey}`);
    expect(request.headers['x-organization-id']).toBeUndefined();
    expect(request.query).toMatchObject({ page: '1', page_size: '1' });
  });

  it('sends X-Organization-ID when the account has one', async () => {
    const strict = await startEnvoyWorld({ requireOrganization: true });
    try {
      const error = await caught(() => strict.client().test());
      expect((error as ProviderError).kind).toBe('auth');
      await strict.client({ organizationId: strict.fake.organizationId }).test();
      expect(strict.fake.requests.at(-1)!.headers['x-organization-id']).toBe(
        strict.fake.organizationId,
      );
    } finally {
      await strict.close();
    }
  });

  it.each([
    ['a wrong key (401)', { apiKey: 'envoy_live_wrong_key_value' }, 401],
    ['a key without access (403)', 'forbidden', 403],
    ['another organization (403)', { organizationId: 'org_someone_else' }, 403],
  ] as const)('maps %s to auth, never echoing the key', async (_, overrides, status) => {
    const config = overrides === 'forbidden' ? { apiKey: world.fake.forbiddenApiKey } : overrides;
    const error = await caught(() => world.client(config).test());
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('auth');
    expect((error as ProviderError).status).toBe(status);
    const text = `${(error as Error).message} ${JSON.stringify(error)}`;
    expect(text).not.toContain(world.fake.apiKey);
    expect(text).not.toContain(world.fake.forbiddenApiKey);
    expect(text).not.toContain('envoy_live_wrong_key_value');
  });
});

describe('Envoy call list', () => {
  let calls: string[];
  beforeAll(async () => {
    // Seven calls over a week; the list must come back newest first over several pages.
    calls = [];
    for (let d = 1; d <= 7; d++) {
      const call = await world.fake.addAudioCall({
        callTime: `2024-01-0${d}T10:00:00Z`,
        status: d === 4 ? 'MISSED' : 'COMPLETED',
        phoneNumber: `+1555000000${d}`,
        fromNumber: `+1555000000${d}`,
        toNumber: '+15559999999',
      });
      calls.push(call.id);
    }
  });

  it('follows page-number pagination until has_next is false', async () => {
    const before = world.fake.requests.length;
    const found = await collect(
      world
        .client({}, { pageSize: 3 })
        .discover({ kind: 'envoy-range', from: '2024-01-01', to: '2024-01-07' }),
    );
    expect(found.map((r) => r.remoteId)).toEqual([...calls].reverse());
    const pages = listCalls(before);
    expect(pages.map((p) => p.query.page)).toEqual(['1', '2', '3']);
    for (const page of pages) {
      expect(page.query).toMatchObject({
        start_date: '2024-01-01',
        end_date: '2024-01-07',
        page_size: '3',
      });
      expect(page.query.status).toBeUndefined();
    }
  });

  it('passes the date bounds as dates and the status filter through', async () => {
    const before = world.fake.requests.length;
    const found = await collect(
      world.client().discover({
        kind: 'envoy-range',
        from: '2024-01-02T00:00:00Z',
        to: '2024-01-05T23:00:00Z',
        status: 'COMPLETED',
      }),
    );
    expect(found.map((r) => r.remoteId)).toEqual([calls[4], calls[2], calls[1]]);
    expect(listCalls(before)[0]!.query).toMatchObject({
      start_date: '2024-01-02',
      end_date: '2024-01-05',
      status: 'COMPLETED',
    });
  });

  it('maps a listed call and its recording into one RemoteRecording', async () => {
    const [newest] = await collect(
      world.client().discover({ kind: 'envoy-range', from: '2024-01-07', to: '2024-01-07' }),
    );
    expect(newest).toMatchObject({
      provider: 'envoy',
      remoteId: calls[6],
      callId: calls[6],
      sessionId: null,
      userId: null,
      channel: 'mixed',
      status: 'ready',
      providerStatus: 'AVAILABLE',
      format: 'm4a',
      contentType: 'audio/mp4',
      recordedAt: '2024-01-07T10:00:00Z',
      expiresAt: null,
      phoneNumbers: ['+15550000007', '+15559999999'],
      providerFileName: null,
    });
    expect(newest!.size).toBe(world.fake.calls.get(calls[6]!)!.stored!.data.length);
    expect(newest!.durationSec).toBeGreaterThan(0);
    // The playback URL is signed: the sidecar keeps its address without the signature.
    expect(JSON.stringify(newest!.raw)).not.toMatch(/signature=|expires=/);
  });

  it('follows total_pages when has_next is absent', async () => {
    const fetchWithoutHasNext: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).includes('/calls?')) return response;
      const body = (await response.json()) as { pagination: Record<string, unknown> };
      delete body.pagination.has_next;
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      return new Response(JSON.stringify(body), { status: response.status, headers });
    };
    const found = await collect(
      world
        .client({}, { pageSize: 2, fetch: fetchWithoutHasNext })
        .discover({ kind: 'envoy-range', from: '2024-01-01', to: '2024-01-07' }),
    );
    expect(found).toHaveLength(7);
  });

  it('refuses range dates that are not dates before sending anything', async () => {
    const before = world.fake.requests.length;
    const error = await caught(() =>
      collect(world.client().discover({ kind: 'envoy-range', from: 'soon', to: '2024-01-07' })),
    );
    expect((error as ProviderError).kind).toBe('bad_request');
    expect(world.fake.requests.length).toBe(before);
  });
});

describe('Envoy single call and recording', () => {
  it('discovers one call by id with its phone numbers, and video/mp4 as mp4', async () => {
    const call = await world.fake.addAudioCall({
      callTime: '2024-02-01T09:00:00Z',
      format: 'mp4',
      phoneNumber: '+442071234567',
      fromNumber: '+15551112222',
      toNumber: '+442071234567',
    });
    const found = await collect(world.client().discover({ kind: 'envoy-call', callId: call.id }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      remoteId: call.id,
      format: 'mp4',
      contentType: 'video/mp4',
      phoneNumbers: ['+442071234567', '+15551112222'],
    });
    const paths = world.fake.requests.slice(-2).map((r) => r.path);
    expect(paths).toEqual([`/api/v1/calls/${call.id}`, `/api/v1/calls/${call.id}/recording`]);
  });

  it('accepts null duration, size and start time', async () => {
    const call = await world.fake.addAudioCall({
      callTime: '2024-02-02T09:00:00Z',
      durationSeconds: null,
      reportSize: false,
      recordingStartTime: null,
    });
    const [found] = await collect(world.client().discover({ kind: 'envoy-call', callId: call.id }));
    expect(found).toMatchObject({
      durationSec: null,
      size: null,
      recordedAt: '2024-02-02T09:00:00Z',
    });
  });

  const statuses: Array<[string, RemoteRecording['status']]> = [
    ['AVAILABLE', 'ready'],
    ['COMPLETED', 'ready'],
    ['PROCESSING', 'pending'],
    ['IN_PROGRESS', 'pending'],
    ['PENDING', 'pending'],
    ['FAILED', 'failed'],
    ['DELETED', 'gone'],
    ['EXPIRED', 'gone'],
    ['TRANSCODING_SOMETHING', 'pending'],
  ];
  it.each(statuses)('describe() maps recording_status %s to %s', async (word, status) => {
    const call = await world.fake.addAudioCall({ callTime: '2024-02-03T09:00:00Z' });
    world.fake.setRecordingStatus(call.id, word);
    const described = await world
      .client()
      .describe({ ...(await first(call.id)), status: 'ready', providerStatus: 'AVAILABLE' });
    expect(described).toMatchObject({ status, providerStatus: word });
    if (status !== 'ready') {
      const error = await caught(() => world.client().open(described));
      expect((error as ProviderError).kind).toBe(status === 'pending' ? 'not_ready' : status);
    }
  });

  it('does not fetch the recording of a call listed as still processing', async () => {
    const call = world.fake.addCall({
      callTime: '2024-02-04T09:00:00Z',
      recordingStatus: 'PROCESSING',
    });
    const before = world.fake.requests.length;
    const [found] = await collect(world.client().discover({ kind: 'envoy-call', callId: call.id }));
    expect(found).toMatchObject({ status: 'pending', providerStatus: 'PROCESSING', format: null });
    expect(world.fake.requests.slice(before).map((r) => r.path)).toEqual([
      `/api/v1/calls/${call.id}`,
    ]);
  });

  it('maps 404 to not_found and 422 (malformed id) to bad_request', async () => {
    const missing = 'call_00000000-0000-4000-8000-000000000000';
    const notFound = await caught(() =>
      collect(world.client().discover({ kind: 'envoy-call', callId: missing })),
    );
    expect(notFound).toMatchObject({
      kind: 'not_found',
      status: 404,
      endpoint: '/calls/{call_id}',
    });
    const call = world.fake.addCall({
      callTime: '2024-02-05T09:00:00Z',
      recordingStatus: 'AVAILABLE',
    });
    // The recording 404s for a call that exists and has ended: no recording (issue 14)…
    const noRecording = await world.client().describe(recordingOf(call.id));
    expect(noRecording).toMatchObject({ status: 'none', providerStatus: 'NO_RECORDING' });
    // …while for a call that does not exist either, the call's own 404 is the answer.
    const gone = await caught(() => world.client().describe(recordingOf(missing)));
    expect(gone).toMatchObject({ kind: 'not_found', status: 404, endpoint: '/calls/{call_id}' });
    const invalid = await caught(() =>
      collect(world.client().discover({ kind: 'envoy-call', callId: '../../admin' })),
    );
    expect(invalid).toMatchObject({ kind: 'bad_request', status: 422 });
    // The hostile id stayed one encoded path segment.
    expect(world.fake.requests.at(-1)!.path).toBe('/api/v1/calls/..%2F..%2Fadmin');
  });

  it('reports a reply that breaks the contract as invalid_response naming the field', async () => {
    const call = await world.fake.addAudioCall({ callTime: '2024-02-06T09:00:00Z' });
    world.fake.setRawRecording(call.id, {
      call_id: call.id,
      recording_status: 'AVAILABLE',
      file_size_bytes: 'big',
    });
    const error = await caught(() => world.client().describe(recordingOf(call.id)));
    expect(error).toMatchObject({ kind: 'invalid_response', field: 'file_size_bytes' });
    world.fake.setRawRecording(call.id, {
      call_id: call.id,
      recording_status: 'AVAILABLE',
      url: null,
    });
    const noUrl = await caught(() => world.client().open(recordingOf(call.id)));
    expect(noUrl).toMatchObject({ kind: 'invalid_response', field: 'url' });
  });

  it('lists an ended call whose recording endpoint 404s as no recording (issue 14), from the list alone', async () => {
    const call = world.fake.addCall({
      callTime: '2024-02-08T09:00:00Z',
      recordingStatus: 'AVAILABLE',
    });
    const [found] = await collect(world.client().discover({ kind: 'envoy-call', callId: call.id }));
    expect(found).toMatchObject({
      remoteId: call.id,
      status: 'none',
      providerStatus: 'NO_RECORDING',
      format: null,
      size: null,
    });
    expect(world.fake.requests.at(-1)!.status).toBe(404);
    expect(await world.client().describe(found!)).toMatchObject({ status: 'none' });
    const opened = await caught(() => world.client().open(found!));
    expect(opened).toMatchObject({ kind: 'no_recording' });
  });

  it('has only mixed recordings: an agent or customer filter finds nothing', async () => {
    const call = await world.fake.addAudioCall({ callTime: '2024-02-07T09:00:00Z' });
    const selection = { kind: 'envoy-call' as const, callId: call.id };
    expect(await collect(world.client().discover(selection, { channel: 'agent' }))).toEqual([]);
    const mixed = await collect(world.client().discover(selection, { channel: 'mixed' }));
    expect(mixed.map((r) => r.remoteId)).toEqual([call.id]);
  });

  it('refuses selections of other providers', async () => {
    const error = await caught(() =>
      collect(world.client().discover({ kind: 'koreai-session', sessionId: 's', userId: 'u' })),
    );
    expect((error as ProviderError).kind).toBe('bad_request');
  });
});

async function first(callId: string): Promise<RemoteRecording> {
  const [found] = await collect(world.client().discover({ kind: 'envoy-call', callId }));
  return found!;
}

function recordingOf(callId: string): RemoteRecording {
  return {
    provider: 'envoy',
    remoteId: callId,
    sessionId: null,
    callId,
    userId: null,
    channel: 'mixed',
    status: 'ready',
    providerStatus: 'AVAILABLE',
    format: null,
    contentType: null,
    size: null,
    durationSec: null,
    sampleRate: null,
    bitDepth: null,
    recordedAt: null,
    createdAt: null,
    expiresAt: null,
    phoneNumbers: [],
    providerFileName: null,
    raw: {},
  };
}
