import { describe, expect, it } from 'vitest';
import type { AccountView, ProviderName } from '../../../main/core/contract/types.ts';
import { buildSyncRequest, type SyncFormValues } from './sync-request.ts';

const account = (provider: ProviderName): AccountView =>
  ({ id: 4, name: 'A', provider }) as AccountView;
const form = (overrides: Partial<SyncFormValues> = {}): SyncFormValues => ({
  source: 'ids',
  rows: [],
  userId: '',
  channel: '',
  from: '',
  to: '',
  status: '',
  ...overrides,
});
const rows = (...pairs: [string, string | null][]) =>
  pairs.map(([id, userId], i) => ({ line: i + 1, id, userId }));

describe('buildSyncRequest', () => {
  it('Kallglot: sessions and rec_ recording ids, with the channel filter', () => {
    const built = buildSyncRequest(
      account('kallglot'),
      form({ rows: rows(['sess_1', null], ['rec_2', null]), channel: 'agent' }),
    );
    expect(built).toEqual({
      ok: true,
      args: {
        accountId: 4,
        sessions: [{ id: 'sess_1' }],
        recordingIds: ['rec_2'],
        channel: 'agent',
      },
    });
  });

  it('Kore.ai: each session needs a user id, from its row or the single field', () => {
    const missing = buildSyncRequest(
      account('koreai'),
      form({ rows: rows(['s1', 'u1'], ['s2', null]) }),
    );
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error).toContain('line 2');
    const filled = buildSyncRequest(
      account('koreai'),
      form({ rows: rows(['s1', 'u1'], ['s2', null]), userId: ' u9 ' }),
    );
    expect(filled.ok && filled.args.sessions).toEqual([
      { id: 's1', userId: 'u1' },
      { id: 's2', userId: 'u9' },
    ]);
  });

  it('Envoy: call ids, or a date range with a status', () => {
    const ids = buildSyncRequest(account('envoy'), form({ rows: rows(['call_1', null]) }));
    expect(ids.ok && ids.args.callIds).toEqual(['call_1']);
    const range = buildSyncRequest(
      account('envoy'),
      form({ source: 'range', from: '2025-01-01', to: '2025-01-31', status: 'COMPLETED' }),
    );
    expect(range.ok && range.args).toMatchObject({
      from: '2025-01-01',
      to: '2025-01-31',
      status: 'COMPLETED',
    });
  });

  it('says what is missing', () => {
    const none = buildSyncRequest(account('kallglot'), form());
    expect(none).toEqual({ ok: false, error: 'Enter at least one id.' });
    const backwards = buildSyncRequest(
      account('koreai'),
      form({ source: 'range', from: '2025-02-01', to: '2025-01-01' }),
    );
    expect(backwards).toEqual({ ok: false, error: 'The start date is after the end date.' });
    const kallglotRange = buildSyncRequest(account('kallglot'), form({ source: 'range' }));
    expect(kallglotRange.ok).toBe(false);
  });
});
