// Contract tests: the Kallglot client against the fake Kallglot API and fake storage host
// (seed pages 000–002, providers.md). Happy paths, statuses, pagination and downloads.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../main/core/providers/errors.ts';
import { createProviderClient } from '../../../main/core/providers/index.ts';
import { AGENT_TONE_HZ, CUSTOMER_TONE_HZ, toneLevelDb } from '../../fakes/audio.ts';
import { dualChannelSession } from '../../fakes/kallglot.ts';
import type { FakeKallglotRecording } from '../../fakes/kallglot.ts';
import { collect, readAll, rejectionOf } from '../../support/async.ts';
import { headerDump, startHarness } from '../../support/provider-clients.ts';
import { sha256 } from '../../support/bytes.ts';
import type { Harness } from '../../support/provider-clients.ts';

let h: Harness;
const DAY = 86400_000;
const iso = (ms: number): string => new Date(ms).toISOString();

beforeAll(async () => {
  h = await startHarness({
    sessions: [
      dualChannelSession('sess_dual'),
      {
        id: 'sess_states',
        recordings: [
          { id: 'rec_processing', channel: 'mixed', status: 'processing' },
          { id: 'rec_failed', channel: 'agent', status: 'failed' },
          { id: 'rec_expired', channel: 'customer', expiresAt: iso(Date.now() - DAY) },
        ],
      },
      {
        id: 'sess_audio',
        recordings: [{ id: 'rec_direct', channel: 'mixed', downloadForm: 'audio' }],
      },
      {
        id: 'sess_big',
        recordings: Array.from({ length: 45 }, (_, i) => ({
          id: `rec_big_${String(i).padStart(2, '0')}`,
          channel: (['mixed', 'agent', 'customer'] as const)[i % 3] ?? 'mixed',
        })),
      },
    ],
  });
});
afterAll(() => h.close());

function recordingOf(channel: string, session = 'sess_dual'): FakeKallglotRecording {
  const id = h.fake.sessions
    .get(session)
    ?.find((r) => h.fake.recordings.get(r)?.channel === channel);
  const rec = id ? h.fake.recordings.get(id) : undefined;
  if (!rec) throw new Error(`no ${channel} in ${session}`);
  return rec;
}

async function discoverOne(recordingId: string) {
  const [rec] = await collect(h.client.discover({ kind: 'kallglot-recording', recordingId }));
  if (!rec) throw new Error('nothing discovered');
  return rec;
}

describe('Kallglot retrieve and list', () => {
  it('lists a dual-channel session as mixed stereo mp3 + agent and customer wav', async () => {
    const before = h.fake.requests.length;
    const recs = await collect(
      h.client.discover({ kind: 'kallglot-session', sessionId: 'sess_dual' }),
    );
    expect(recs.map((r) => [r.channel, r.format, r.contentType, r.status])).toEqual([
      ['mixed', 'mp3', 'audio/mpeg', 'ready'],
      ['agent', 'wav', 'audio/wav', 'ready'],
      ['customer', 'wav', 'audio/wav', 'ready'],
    ]);
    const mixed = recordingOf('mixed');
    expect(recs[0]).toMatchObject({
      provider: 'kallglot',
      remoteId: mixed.id,
      sessionId: 'sess_dual',
      callId: null,
      size: mixed.size,
      durationSec: mixed.durationSec,
      expiresAt: mixed.expiresAt,
      providerStatus: 'ready',
    });
    const sent = h.fake.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${h.fake.apiKey}`);
    expect(sent[0]?.query).toEqual({ limit: '100' });
  });

  it('passes the channel filter to the API and returns only that channel', async () => {
    const before = h.fake.requests.length;
    const recs = await collect(
      h.client.discover({ kind: 'kallglot-session', sessionId: 'sess_dual' }, { channel: 'agent' }),
    );
    expect(recs.map((r) => r.channel)).toEqual(['agent']);
    expect(h.fake.requests.slice(before)[0]?.query.channel).toBe('agent');
  });

  it('follows starting_after / has_more across pages, each recording once, in order', async () => {
    const client = h.makeClient({ pageSize: 20 });
    const before = h.fake.requests.length;
    const recs = await collect(
      client.discover({ kind: 'kallglot-session', sessionId: 'sess_big' }),
    );
    expect(recs.map((r) => r.remoteId)).toEqual(
      Array.from({ length: 45 }, (_, i) => `rec_big_${String(i).padStart(2, '0')}`),
    );
    const pages = h.fake.requests.slice(before);
    expect(pages.map((r) => r.query.starting_after ?? null)).toEqual([
      null,
      'rec_big_19',
      'rec_big_39',
    ]);
    expect(pages.every((r) => r.query.limit === '20')).toBe(true);
  });

  it('paginates with a channel filter too', async () => {
    const client = h.makeClient({ pageSize: 4 });
    const recs = await collect(
      client.discover({ kind: 'kallglot-session', sessionId: 'sess_big' }, { channel: 'customer' }),
    );
    expect(recs).toHaveLength(15);
    expect(recs.every((r) => r.channel === 'customer')).toBe(true);
  });

  it('reads the seed page form (no has_more) as the whole list in one request', async () => {
    h.fake.listStyle = 'seed';
    try {
      const before = h.fake.requests.length;
      const recs = await collect(
        h.client.discover({ kind: 'kallglot-session', sessionId: 'sess_big' }),
      );
      expect(recs).toHaveLength(45);
      expect(h.fake.requests.length - before).toBe(1);
    } finally {
      h.fake.listStyle = 'paginated';
    }
  });

  it('maps processing → pending, failed → failed, past expires_at → gone', async () => {
    const recs = await collect(
      h.client.discover({ kind: 'kallglot-session', sessionId: 'sess_states' }),
    );
    expect(recs.map((r) => [r.remoteId, r.status, r.providerStatus])).toEqual([
      ['rec_processing', 'pending', 'processing'],
      ['rec_failed', 'failed', 'failed'],
      ['rec_expired', 'gone', 'ready'],
    ]);
  });

  it('retrieves one recording with its audio details, keeping no signed link in raw', async () => {
    const mixed = recordingOf('mixed');
    const rec = await discoverOne(mixed.id);
    expect(rec).toMatchObject({ sampleRate: 44100, bitDepth: 16, format: 'mp3', status: 'ready' });
    expect(String(rec.raw.download_url)).toBe(
      `${h.fake.storage.baseUrl}/objects/${encodeURIComponent(mixed.fileKey)}`,
    );
    expect(JSON.stringify(rec.raw)).not.toMatch(/signature|expires=/);
  });

  it('describe() returns fresh status (a recording that became ready)', async () => {
    const rec = await discoverOne('rec_processing');
    expect(rec.status).toBe('pending');
    h.fake.update('rec_processing', { status: 'ready' });
    try {
      expect((await h.client.describe(rec)).status).toBe('ready');
    } finally {
      h.fake.update('rec_processing', { status: 'processing' });
    }
  });

  it('unknown session and recording → not_found', async () => {
    const session = await rejectionOf(
      collect(h.client.discover({ kind: 'kallglot-session', sessionId: 'sess_nope' })),
    );
    expect(session).toMatchObject({
      kind: 'not_found',
      status: 404,
      endpoint: '/v1/sessions/{id}/recordings',
    });
    const rec = await rejectionOf(discoverOne('rec_nope'));
    expect(rec).toMatchObject({ kind: 'not_found', endpoint: '/v1/recordings/{id}' });
    expect((rec as ProviderError).requestId).toMatch(/^req_fake/);
  });

  it('refuses a selection of another provider', async () => {
    const error = await rejectionOf(
      collect(h.client.discover({ kind: 'envoy-call', callId: 'call_1' })),
    );
    expect(error).toMatchObject({ kind: 'bad_request' });
  });

  it('is built by createProviderClient for a kallglot account', async () => {
    const client = createProviderClient(
      { provider: 'kallglot', baseUrl: h.fake.baseUrl, apiKey: h.fake.apiKey },
      { limiter: h.limiter },
    );
    expect(client.provider).toBe('kallglot');
    await expect(client.test()).resolves.toBeUndefined();
  });
});

describe('Kallglot test()', () => {
  it('accepts a good key with one request (the probe id answers 404)', async () => {
    const before = h.fake.requests.length;
    await h.client.test();
    const sent = h.fake.requests.slice(before);
    expect(sent.map((r) => [r.path, r.status])).toEqual([
      ['/v1/recordings/rec_recvault_connection_check', 404],
    ]);
  });

  it('reports a wrong key as auth, naming the API key without containing it', async () => {
    const wrongKey = 'sk_live_wrong_key_do_not_echo_42';
    const error = await rejectionOf(h.makeClient({}, wrongKey).test());
    expect(error).toBeInstanceOf(ProviderError);
    const e = error as ProviderError;
    expect(e.kind).toBe('auth');
    expect(e.status).toBe(401);
    expect(e.message).toContain('API key');
    expect(e.message).toContain('invalid_api_key');
    expect(e.message).not.toContain(wrongKey);
    expect(JSON.stringify({ ...e, stack: e.stack })).not.toContain(wrongKey);
    expect(e.requestId).toMatch(/^req_fake\d+$/);
  });
});

describe('Kallglot download', () => {
  it('downloads the mixed recording: original format, exact bytes, agent LEFT / customer RIGHT', async () => {
    const mixed = recordingOf('mixed');
    const rec = await discoverOne(mixed.id);
    const apiBefore = h.fake.requests.length;
    const storageBefore = h.fake.storage.requests.length;
    const stream = await h.client.open(rec);
    const data = await readAll(stream.body);
    expect(sha256(data)).toBe(mixed.sha256);
    expect(stream).toMatchObject({
      status: 200,
      startOffset: 0,
      contentLength: mixed.size,
      totalSize: mixed.size,
      acceptRanges: true,
      contentType: 'audio/mpeg',
      fileName: 'recording-sess_dual.mp3',
    });
    expect(stream.etag).toMatch(/^".+"$/);
    const api = h.fake.requests.slice(apiBefore);
    expect(api.map((r) => [r.path, r.query.format, r.status])).toEqual([
      [`/v1/recordings/${mixed.id}/download`, 'mp3', 302],
    ]);
    expect(h.fake.storage.requests.length - storageBefore).toBe(1);

    const dir = await mkdtemp(join(tmpdir(), 'recvault-kallglot-'));
    const file = join(dir, 'mixed.mp3');
    await writeFile(file, data);
    expect(await toneLevelDb(file, 0, AGENT_TONE_HZ)).toBeGreaterThan(
      (await toneLevelDb(file, 0, CUSTOMER_TONE_HZ)) + 10,
    );
    expect(await toneLevelDb(file, 1, CUSTOMER_TONE_HZ)).toBeGreaterThan(
      (await toneLevelDb(file, 1, AGENT_TONE_HZ)) + 10,
    );
  });

  it('asks for wav for the agent and customer files (never a conversion)', async () => {
    for (const channel of ['agent', 'customer']) {
      const fakeRec = recordingOf(channel);
      const before = h.fake.requests.length;
      const stream = await h.client.open(await discoverOne(fakeRec.id));
      expect(sha256(await readAll(stream.body))).toBe(fakeRec.sha256);
      const download = h.fake.requests.slice(before).find((r) => r.path.endsWith('/download'));
      expect(download?.query.format).toBe('wav');
    }
  });

  it('never sends the API key or any auth header to the storage host', async () => {
    const rec = await discoverOne(recordingOf('agent').id);
    await readAll((await h.client.open(rec)).body);
    await readAll((await h.client.open(rec, { offset: 10 })).body);
    expect(h.fake.storage.requests.length).toBeGreaterThan(0);
    for (const r of h.fake.storage.requests) {
      expect(r.headers.authorization).toBeUndefined();
      expect(r.headers['x-api-key']).toBeUndefined();
      expect(r.headers.cookie).toBeUndefined();
    }
    expect(headerDump(h.fake.storage.requests)).not.toContain(h.fake.apiKey);
    expect(new URL(h.fake.storage.baseUrl).port).not.toBe(new URL(h.fake.baseUrl).port);
  });

  it('resumes with Range + If-Range: 206 from the offset, bytes join to the exact file', async () => {
    const mixed = recordingOf('mixed');
    const rec = await discoverOne(mixed.id);
    const first = await h.client.open(rec);
    const whole = await readAll(first.body);
    const offset = 5000;
    const before = h.fake.storage.requests.length;
    const rest = await h.client.open(rec, { offset, etag: first.etag });
    expect(rest).toMatchObject({ status: 206, startOffset: offset, totalSize: mixed.size });
    expect(rest.contentLength).toBe(mixed.size - offset);
    const tail = await readAll(rest.body);
    expect(sha256(Buffer.concat([whole.subarray(0, offset), tail]))).toBe(mixed.sha256);
    const sent = h.fake.storage.requests.slice(before)[0];
    expect(sent?.headers.range).toBe(`bytes=${offset}-`);
    expect(sent?.headers['if-range']).toBe(first.etag);
  });

  it('restarts from 0 (200) when If-Range does not match: the file changed', async () => {
    const customer = recordingOf('customer');
    const rec = await discoverOne(customer.id);
    const stream = await h.client.open(rec, { offset: 100, etag: '"some-old-etag"' });
    expect(stream).toMatchObject({ status: 200, startOffset: 0, totalSize: customer.size });
    expect(sha256(await readAll(stream.body))).toBe(customer.sha256);
  });

  it('reports a Range past the end as bad_request with status 416', async () => {
    const rec = await discoverOne(recordingOf('customer').id);
    const error = await rejectionOf(h.client.open(rec, { offset: 10_000_000 }));
    expect(error).toMatchObject({ kind: 'bad_request', status: 416 });
  });

  it('renews an expired signed URL by asking the API again', async () => {
    const mixed = recordingOf('mixed');
    const rec = await discoverOne(mixed.id);
    h.fake.storage.faults.inject({ type: 'expired_url' }, { times: 1 });
    const before = h.fake.requests.length;
    const stream = await h.client.open(rec);
    expect(sha256(await readAll(stream.body))).toBe(mixed.sha256);
    const downloads = h.fake.requests.slice(before).filter((r) => r.path.endsWith('/download'));
    expect(downloads).toHaveLength(2);
  });

  it('renews a URL that really expired (ttl in the past) and gives up after the bound', async () => {
    const rec = await discoverOne(recordingOf('agent').id);
    h.fake.urlTtlSec = -10;
    try {
      const before = h.fake.requests.length;
      const storageBefore = h.fake.storage.requests.length;
      const error = await rejectionOf(h.client.open(rec));
      expect(error).toMatchObject({ kind: 'transient', status: 403 });
      const downloads = h.fake.requests.slice(before).filter((r) => r.path.endsWith('/download'));
      expect(downloads).toHaveLength(3); // first link + 2 renewals
      expect(h.fake.storage.requests.slice(storageBefore).map((r) => r.status)).toEqual([
        403, 403, 403,
      ]);
    } finally {
      h.fake.urlTtlSec = 3600;
    }
  });

  it('treats 410 from storage as an expired link too', async () => {
    const agent = recordingOf('agent');
    h.fake.storage.expiredStatus = 410;
    h.fake.storage.faults.inject({ type: 'expired_url' }, { times: 2 });
    try {
      const stream = await h.client.open(await discoverOne(agent.id));
      expect(sha256(await readAll(stream.body))).toBe(agent.sha256);
    } finally {
      h.fake.storage.expiredStatus = 403;
    }
  });

  it('202 while processing → not_ready (and the client does not spin on it)', async () => {
    const rec = await discoverOne('rec_processing');
    const before = h.fake.requests.length;
    const error = await rejectionOf(h.client.open(rec));
    expect(error).toMatchObject({
      kind: 'not_ready',
      status: 202,
      endpoint: '/v1/recordings/{id}/download',
    });
    expect(h.fake.requests.length - before).toBe(1);
  });

  it('410 after retention → gone; 404 → not_found; failed recording → not retried', async () => {
    const expired = await discoverOne('rec_expired');
    expect(await rejectionOf(h.client.open(expired))).toMatchObject({ kind: 'gone', status: 410 });
    const ghost = { ...expired, remoteId: 'rec_ghost' };
    expect(await rejectionOf(h.client.open(ghost))).toMatchObject({
      kind: 'not_found',
      status: 404,
    });
    const before = h.fake.requests.length;
    const failed = await discoverOne('rec_failed');
    const error = (await rejectionOf(h.client.open(failed))) as ProviderError;
    expect(error.retryable).toBe(false);
    expect(h.fake.requests.length - before).toBe(2); // retrieve + one download attempt
  });

  it('streams the /audio form directly with the key, storage never involved', async () => {
    const direct = h.fake.recordings.get('rec_direct');
    const rec = await discoverOne('rec_direct');
    expect(rec.raw.download_url).toBe('/v1/recordings/rec_direct/audio');
    const storageBefore = h.fake.storage.requests.length;
    const apiBefore = h.fake.requests.length;
    const stream = await h.client.open(rec);
    expect(sha256(await readAll(stream.body))).toBe(direct?.sha256);
    expect(stream.fileName).toBe('recording-sess_audio.mp3');
    const sent = h.fake.requests.slice(apiBefore);
    expect(sent.map((r) => r.path)).toEqual(['/v1/recordings/rec_direct/audio']);
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${h.fake.apiKey}`);
    expect(h.fake.storage.requests.length).toBe(storageBefore);

    const rest = await h.client.open(rec, { offset: 1234, etag: stream.etag });
    expect(rest).toMatchObject({ status: 206, startOffset: 1234 });
    expect((await readAll(rest.body)).length).toBe((direct?.size ?? 0) - 1234);
  });
});
