import { describe, expect, it } from 'vitest';
import { buildJobSpec, type SyncRequest } from '../../../main/core/sync/job-spec.ts';

const request = (overrides: Partial<SyncRequest> = {}): SyncRequest => ({
  sessions: [],
  recordingIds: [],
  callIds: [],
  ...overrides,
});

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('buildJobSpec (the provider capability table)', () => {
  it('Kallglot takes sessions and recordings, never a date range or calls', () => {
    const spec = buildJobSpec(
      'kallglot',
      request({ sessions: [{ id: 'sess_1' }], recordingIds: ['rec_2'], channel: 'agent' }),
    );
    expect(spec).toEqual({
      selections: [
        { kind: 'kallglot-session', sessionId: 'sess_1' },
        { kind: 'kallglot-recording', recordingId: 'rec_2' },
      ],
      channel: 'agent',
      label: 'session sess_1, recording rec_2',
    });
    expect(refusal(() => buildJobSpec('kallglot', request({ from: '2025-01-01' })))).toBe(
      'Kallglot cannot list recordings by date: give session or recording ids.',
    );
    expect(refusal(() => buildJobSpec('kallglot', request({ callIds: ['c1'] })))).toBe(
      'Kallglot recordings are found by session id or recording id.',
    );
  });

  it('Kore.ai sessions need a user id; a range may filter by one', () => {
    expect(refusal(() => buildJobSpec('koreai', request({ sessions: [{ id: 's1' }] })))).toMatch(
      /needs the user id/,
    );
    const spec = buildJobSpec(
      'koreai',
      request({ sessions: [{ id: 's1' }], userId: 'u1', from: '2025-01-01', to: '2025-01-31' }),
    );
    expect(spec.selections).toEqual([
      { kind: 'koreai-session', sessionId: 's1', userId: 'u1' },
      { kind: 'koreai-range', from: '2025-01-01', to: '2025-01-31', userId: 'u1' },
    ]);
    expect(refusal(() => buildJobSpec('koreai', request({ recordingIds: ['r1'] })))).toBe(
      'Kore.ai recordings are found by session id and user id or by date range.',
    );
  });

  it('Envoy takes calls, or a status filter alone as a range', () => {
    expect(buildJobSpec('envoy', request({ status: 'COMPLETED', to: '2025-02-01' }))).toEqual({
      selections: [
        { kind: 'envoy-range', from: '1970-01-01', to: '2025-02-01', status: 'COMPLETED' },
      ],
      channel: null,
      label: 'date range 1970-01-01 – 2025-02-01',
    });
    expect(refusal(() => buildJobSpec('envoy', request({ sessions: [{ id: 's' }] })))).toBe(
      'Envoy recordings are found by call id or by date range.',
    );
    // A status means nothing to a provider without the filter: nothing is left to archive.
    expect(refusal(() => buildJobSpec('kallglot', request({ status: 'COMPLETED' })))).toBe(
      'Nothing to archive: give ids or a date range.',
    );
  });
});
