// The completeness report's figures against a seeded index holding every state, two accounts,
// recordings on both sides of the period's bounds and one without a date: the test knows the
// true count of every figure.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestSchemas } from '../../../main/core/contract/requests.ts';
import type { RequestArgs } from '../../../main/core/contract/requests.ts';
import {
  markArchived,
  markDownloading,
  markFailed,
  markGone,
  markNoRecording,
  markPending,
  setSkipped,
  upsertDiscovered,
} from '../../../main/core/db/recordings.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';
import { completenessReport } from '../../../main/core/report/completeness-report.ts';
import {
  envoyAccount,
  envoyRecording,
  kallglotAccount,
  kallglotRecording,
  tempIndex,
} from '../../support/index-fixtures.ts';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const inDays = (days: number) => new Date(NOW.getTime() + days * 86_400_000).toISOString();
const SHA = 'a'.repeat(64);

let index: ReturnType<typeof tempIndex>;
let db: Db;
let a: number;
let b: number;

type Seed = {
  id: string;
  recordedAt: string | null;
  state: string;
  expiresAt?: string | null;
  word?: string;
  reason?: string;
  archivedAt?: string;
};

function seed(accountId: number, provider: 'kallglot' | 'envoy', s: Seed): void {
  const make = provider === 'kallglot' ? kallglotRecording : envoyRecording;
  const { recording } = upsertDiscovered(
    db,
    accountId,
    make({
      remoteId: s.id,
      callId: provider === 'envoy' ? s.id : null,
      recordedAt: s.recordedAt,
      expiresAt: s.expiresAt ?? null,
      providerStatus: s.word ?? 'ready',
      status: s.state === 'pending' ? 'pending' : 'ready',
    }),
  );
  const id = recording.id;
  switch (s.state) {
    case 'archived':
      markArchived(db, id, {
        localPath: `x/${s.id}.mp3`,
        localSize: 10,
        sha256: SHA,
        archivedAt: s.archivedAt ?? '2026-11-30T00:00:00.000Z',
      });
      break;
    case 'pending':
      markPending(db, id, `Not ready yet (${s.word})`, inDays(1));
      break;
    case 'downloading':
      markDownloading(db, id);
      break;
    case 'failed':
      markFailed(db, id, s.reason!);
      break;
    case 'gone':
      markGone(db, id, 'Deleted under retention');
      break;
    case 'no_recording':
      markNoRecording(db, id, 'No recording');
      break;
    case 'skipped':
      setSkipped(db, id, true);
      break;
  }
}

function report(args: RequestArgs<'complianceReport'> = {}) {
  return completenessReport(db, requestSchemas.complianceReport.parse(args), NOW);
}

beforeEach(() => {
  index = tempIndex();
  db = index.db;
  a = kallglotAccount(db, 'Alpha');
  b = envoyAccount(db, 'Bravo');
  for (const s of [
    {
      id: 'a1',
      recordedAt: '2026-11-10T10:00:00Z',
      state: 'archived',
      archivedAt: '2026-11-25T00:00:00.000Z',
    },
    {
      id: 'a2',
      recordedAt: '2026-11-11T10:00:00Z',
      state: 'archived',
      archivedAt: '2026-11-12T00:00:00.000Z',
    },
    {
      id: 'a3',
      recordedAt: '2026-11-12T10:00:00Z',
      state: 'pending',
      word: 'processing',
      expiresAt: inDays(3),
    },
    { id: 'a4', recordedAt: '2026-11-13T10:00:00Z', state: 'discovered', expiresAt: inDays(30) },
    {
      id: 'a5',
      recordedAt: '2026-11-14T10:00:00Z',
      state: 'failed',
      reason: 'HTTP 500',
      expiresAt: inDays(1),
    },
    { id: 'a6', recordedAt: '2026-11-15T10:00:00Z', state: 'gone' },
    { id: 'a7', recordedAt: '2026-11-16T10:00:00Z', state: 'skipped', expiresAt: inDays(1) },
    { id: 'a8', recordedAt: '2026-10-01T10:00:00Z', state: 'archived' },
    { id: 'a9', recordedAt: null, state: 'failed', reason: 'HTTP 500' },
    { id: 'a10', recordedAt: '2026-11-17T10:00:00Z', state: 'downloading' },
  ])
    seed(a, 'kallglot', s);
  for (const s of [
    { id: 'b1', recordedAt: '2026-11-10T10:00:00Z', state: 'no_recording', expiresAt: inDays(1) },
    { id: 'b2', recordedAt: '2026-11-20T10:00:00Z', state: 'failed', reason: 'HTTP 500' },
    { id: 'b3', recordedAt: '2026-11-20T11:00:00Z', state: 'failed', reason: 'Not found' },
    {
      id: 'b4',
      recordedAt: '2026-11-20T12:00:00Z',
      state: 'pending',
      word: 'PROCESSING',
      expiresAt: inDays(-1),
    },
    { id: 'b5', recordedAt: '2026-11-30T23:30:00Z', state: 'archived' },
    { id: 'b6', recordedAt: '2026-12-01T00:00:00Z', state: 'archived' },
  ])
    seed(b, 'envoy', s);
});
afterEach(() => index.cleanup());

const PERIOD = { from: '2026-11-01', to: '2026-11-30', archivedSince: '2026-11-20T00:00:00Z' };

describe('completeness report', () => {
  it('counts every state per account over the recorded-date period', () => {
    const r = report(PERIOD);
    const byName = Object.fromEntries(r.accounts.map((x) => [x.accountName, x.figures]));
    expect(byName.Alpha).toEqual({
      found: 8,
      archived: 1,
      alreadyArchived: 1,
      waiting: 1,
      queued: 2,
      failed: 1,
      deleted: 1,
      noRecording: 0,
      excluded: 1,
      atRisk: 2,
    });
    expect(byName.Bravo).toEqual({
      found: 5,
      archived: 1,
      alreadyArchived: 0,
      waiting: 1,
      queued: 0,
      failed: 2,
      deleted: 0,
      noRecording: 1,
      excluded: 0,
      atRisk: 1,
    });
    expect(r.totals).toMatchObject({ found: 13, failed: 3, noRecording: 1, atRisk: 3 });
    expect(r.period).toEqual({ field: 'recorded', from: '2026-11-01', to: '2026-11-30' });
  });

  it('lists waiting words, failure reasons, deletions and what is at risk, soonest first', () => {
    const r = report(PERIOD);
    expect(r.accounts.find((x) => x.accountName === 'Bravo')!.waitingWords).toEqual([
      { word: 'PROCESSING', count: 1 },
    ]);
    expect(r.failureReasons).toEqual([
      { reason: 'HTTP 500', count: 2 },
      { reason: 'Not found', count: 1 },
    ]);
    expect(r.failed.map((i) => i.remoteId)).toEqual(['a5', 'b2', 'b3']);
    expect(r.deleted.map((i) => i.remoteId)).toEqual(['a6']);
    // Past its deletion date and still unsaved first; no recording and excluded never at risk.
    expect(r.atRisk.map((i) => i.remoteId)).toEqual(['b4', 'a5', 'a3']);
    expect(r.atRisk[0]!.reason).toMatch(/^waiting for the provider/);
  });

  it('without a period counts undated recordings; --within-days widens "at risk"; accounts filter', () => {
    const all = report({ withinDays: 60 });
    expect(all.totals.found).toBe(16);
    expect(all.totals.failed).toBe(4);
    // a4 (30 days) joins; every archived counts as archived without archivedSince.
    expect(all.totals.atRisk).toBe(4);
    expect(all.totals.alreadyArchived).toBe(0);
    expect(all.totals.archived).toBe(5);
    const bravo = report({ ...PERIOD, accountIds: [b] });
    expect(bravo.accounts.map((x) => x.accountName)).toEqual(['Bravo']);
    expect(bravo.totals.found).toBe(5);
    const none = report({ from: '2027-01-01' });
    expect(none.accounts).toEqual([]);
    expect(none.totals.found).toBe(0);
  });

  it('every recording is in exactly one figure', () => {
    for (const args of [PERIOD, {}, { accountIds: [a] }]) {
      const { totals: t } = report(args);
      const parts =
        t.archived +
        t.alreadyArchived +
        t.waiting +
        t.queued +
        t.failed +
        t.deleted +
        t.noRecording +
        t.excluded;
      expect(parts).toBe(t.found);
    }
  });

  it('refuses a period that ends before it starts', () => {
    expect(() => report({ from: '2026-11-30', to: '2026-11-01' })).toThrow(/ends before it starts/);
  });
});
