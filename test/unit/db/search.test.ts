import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  markArchived,
  markPending,
  setNotes,
  setTags,
  upsertDiscovered,
} from '../../../main/core/db/recordings.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';
import {
  buildSearchSql,
  equalPathOf,
  searchCandidates,
  sortBoundSql,
} from '../../../main/core/db/search/build-search-sql.ts';
import type { AccessPath, SortKeyBound } from '../../../main/core/db/search/build-search-sql.ts';
import { encodeCursor, InvalidCursorError } from '../../../main/core/db/search/cursor.ts';
import {
  searchRecordings,
  TOTAL_COUNT_CAP,
} from '../../../main/core/db/search/search-recordings.ts';
import type { RecordingSearch } from '../../../main/core/db/search/search-options.ts';
import { LIBRARY_SORTS } from '../../../main/core/contract/vocabulary.ts';
import {
  envoyAccount,
  envoyRecording,
  kallglotAccount,
  kallglotRecording,
  SHA,
  tempIndex,
} from '../../support/index-fixtures.ts';

let db: Db;
let cleanup: () => void;
beforeEach(() => ({ db, cleanup } = tempIndex()));
afterEach(() => cleanup());

const ids = (search: RecordingSearch, now?: Date) =>
  searchRecordings(db, search, now).rows.map((r) => r.remoteId);

describe('free-text search', () => {
  let kallglot: number;
  let envoy: number;
  beforeEach(() => {
    kallglot = kallglotAccount(db);
    envoy = envoyAccount(db);
    upsertDiscovered(db, kallglot, kallglotRecording());
    const call = upsertDiscovered(db, envoy, envoyRecording()).recording;
    setNotes(db, call.id, 'Customer asked about the Zürich refund');
    setTags(db, call.id, ['legal-hold', 'VIP']);
    upsertDiscovered(
      db,
      kallglot,
      kallglotRecording({
        remoteId: 'rec_quote"star*',
        sessionId: 'sess_other',
        providerFileName: 'NEAR(weird) -minus.mp3',
      }),
    );
  });

  it('finds ids by any fragment, case-insensitively (search-as-you-type)', () => {
    expect(ids({ text: 'rec_abc' })).toEqual(['rec_abc123']);
    expect(ids({ text: 'ABC1' })).toEqual(['rec_abc123']);
    expect(ids({ text: 'xyz78' })).toEqual(['rec_abc123']); // session id
    expect(ids({ text: '6f1c2b9e' })).toEqual([envoyRecording().remoteId]); // call id
    expect(ids({ text: 'recording-sess' })).toEqual(['rec_abc123']); // provider file name
  });

  it('finds phone numbers however they are typed', () => {
    const call = envoyRecording().remoteId;
    expect(ids({ text: '+15551234567' })).toEqual([call]);
    expect(ids({ text: '555-123-4567' })).toEqual([call]);
    expect(ids({ text: '(555) 123 4567' })).toEqual([call]);
    expect(ids({ text: '2071838750' })).toEqual([call]);
  });

  it('finds notes (ignoring accents) and tags, ANDing terms', () => {
    const call = envoyRecording().remoteId;
    expect(ids({ text: 'refund' })).toEqual([call]);
    expect(ids({ text: 'zurich refund' })).toEqual([call]);
    expect(ids({ text: 'zurich nothing-like-this' })).toEqual([]);
    expect(ids({ text: 'legal-hold' })).toEqual([call]);
    expect(ids({ text: 'vip' })).toEqual([call]);
  });

  it('treats FTS syntax in the query as plain text', () => {
    for (const hostile of [
      '"',
      '""',
      '*',
      'NEAR(',
      'NEAR(a b)',
      '-',
      '- rec',
      'a OR b',
      'ids:rec',
      '^rec',
      '"unterminated',
      'rec*',
      ')(',
      'AND',
      "'; DROP TABLE recordings; --",
    ]) {
      expect(() => searchRecordings(db, { text: hostile })).not.toThrow();
    }
    expect(ids({ text: 'NEAR(' })).toEqual(['rec_quote"star*']);
    expect(ids({ text: 'quote"star*' })).toEqual(['rec_quote"star*']);
    expect(ids({ text: '-minus' })).toEqual(['rec_quote"star*']);
    // Not a column filter, not a prefix query: a literal that matches nothing.
    expect(ids({ text: 'ids:rec' })).toEqual([]);
    expect(ids({ text: 'rec OR zzz' })).toEqual([]); // "OR" is a term here, and matches nothing
    expect(searchRecordings(db, { withTotal: true }).total).toBe(3);
  });

  it('reports terms too short to search instead of matching nothing', () => {
    const page = searchRecordings(db, { text: 'ab refund' });
    expect(page.ignoredTerms).toEqual(['ab']);
    expect(page.rows.map((r) => r.remoteId)).toEqual([envoyRecording().remoteId]);
    const onlyShort = searchRecordings(db, { text: 'a -', withTotal: true });
    expect(onlyShort.total).toBe(3); // no usable term: no text filter
  });

  it('stays in sync when notes and tags change', () => {
    const rec = upsertDiscovered(db, kallglot, kallglotRecording()).recording;
    setNotes(db, rec.id, 'supervisor review');
    expect(ids({ text: 'supervisor' })).toEqual(['rec_abc123']);
    setNotes(db, rec.id, '');
    expect(ids({ text: 'supervisor' })).toEqual([]);
  });
});

describe('filters', () => {
  const NOW = new Date('2024-03-10T00:00:00Z');
  let kallglot: number;
  let envoy: number;
  beforeEach(() => {
    kallglot = kallglotAccount(db);
    envoy = envoyAccount(db);
    const add = (remoteId: string, recordedAt: string, expiresAt: string | null, more = {}) =>
      upsertDiscovered(
        db,
        kallglot,
        kallglotRecording({ remoteId, recordedAt, expiresAt, ...more }),
      ).recording.id;
    add('k1', '2024-03-01T00:00:00Z', '2024-03-12T00:00:00Z', { channel: 'agent', size: 10 });
    const k2 = add('k2', '2024-03-02T00:00:00Z', '2024-03-20T00:00:00Z', { size: 30 });
    add('k3', '2024-03-03T00:00:00Z', '2024-03-09T00:00:00Z', { size: 20 }); // already past
    const k4 = add('k4', '2024-03-04T00:00:00Z', '2024-03-11T00:00:00Z', { status: 'pending' });
    markArchived(db, k2, { localPath: 'k2.mp3', localSize: 1, sha256: SHA, archivedAt: NOW });
    markPending(db, k4, 'processing', NOW);
    upsertDiscovered(db, envoy, envoyRecording({ recordedAt: '2024-02-01T00:00:00Z' }));
  });

  it('by account, provider, channel, remote status and state', () => {
    expect(ids({ accountIds: [envoy] })).toHaveLength(1);
    expect(ids({ accountIds: [kallglot, envoy] })).toHaveLength(5);
    expect(ids({ providers: ['kallglot'] })).toEqual(['k4', 'k3', 'k2', 'k1']);
    expect(ids({ channels: ['agent'] })).toEqual(['k1']);
    expect(ids({ remoteStatuses: ['pending'] })).toEqual(['k4']);
    expect(ids({ states: ['archived'] })).toEqual(['k2']);
    expect(ids({ notArchived: true, providers: ['kallglot'] })).toEqual(['k4', 'k3', 'k1']);
    expect(ids({ accountIds: [] })).toHaveLength(5); // empty = no filter
  });

  it('by recorded date range: through the day a bare date names, else up to the instant', () => {
    expect(ids({ from: '2024-03-02', to: '2024-03-03' })).toEqual(['k3', 'k2']);
    expect(ids({ to: '2024-03-01T00:00:00Z' })).toEqual([envoyRecording().remoteId]);
  });

  it('expiring within N days: deadline between now and now + N, in any state', () => {
    expect(ids({ expiringWithinDays: 2, sort: 'expires_asc' }, NOW)).toEqual(['k4', 'k1']);
    expect(ids({ expiringWithinDays: 30, sort: 'expires_asc' }, NOW)).toEqual(['k4', 'k1', 'k2']);
    expect(ids({ expiringWithinDays: 30, notArchived: true, sort: 'expires_asc' }, NOW)).toEqual([
      'k4',
      'k1',
    ]);
  });

  it('sorts by recorded (default), expiry, size and duration', () => {
    expect(ids({ providers: ['kallglot'], sort: 'expires_asc' })).toEqual(['k3', 'k4', 'k1', 'k2']);
    expect(ids({ providers: ['kallglot'], sort: 'size_desc' })).toEqual(['k4', 'k2', 'k3', 'k1']);
    expect(ids({ providers: ['kallglot'], sort: 'recorded_asc' })).toEqual([
      'k1',
      'k2',
      'k3',
      'k4',
    ]);
    // Envoy has no deadline: it sorts after every known one.
    expect(ids({ sort: 'expires_asc' }).at(-1)).toBe(envoyRecording().remoteId);
    expect(ids({ sort: 'duration_desc' })[0]).toBe(envoyRecording().remoteId);
  });

  it('filters by tag', () => {
    const rec = upsertDiscovered(db, kallglot, kallglotRecording({ remoteId: 'k1' })).recording;
    setTags(db, rec.id, ['Legal-Hold']);
    expect(ids({ tags: ['legal-hold'] })).toEqual(['k1']);
  });
});

describe('keyset paging', () => {
  it('returns each of 5,000 rows exactly once, in order, for every sort', () => {
    const accounts = [kallglotAccount(db, 'a'), kallglotAccount(db, 'b')];
    db.transaction(() => {
      for (let i = 0; i < 5000; i += 1) {
        // Many equal sort keys (i % 97), so ties across page boundaries are exercised.
        const day = String((i % 28) + 1).padStart(2, '0');
        upsertDiscovered(
          db,
          accounts[i % 2]!,
          kallglotRecording({
            remoteId: `rec_${i}`,
            recordedAt:
              i % 50 === 0 ? null : `2024-02-${day}T${String(i % 24).padStart(2, '0')}:00:00Z`,
            expiresAt: i % 7 === 0 ? null : `2024-04-${day}T00:00:00Z`,
            size: i % 11 === 0 ? null : (i % 97) * 1000,
            durationSec: i % 97,
          }),
        );
      }
    })();

    for (const sort of LIBRARY_SORTS) {
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = searchRecordings(db, { sort, limit: 333, cursor });
        seen.push(...page.rows.map((r) => r.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null);
      expect(pages).toBe(Math.ceil(5000 / 333));
      expect(new Set(seen).size).toBe(5000);
      // Same order as one unpaged query with the same ORDER BY.
      const [column, dir] = {
        recorded_desc: ['sort_recorded_at', 'DESC'],
        recorded_asc: ['sort_recorded_at', 'ASC'],
        expires_asc: ['sort_expires_at', 'ASC'],
        size_desc: ['sort_size', 'DESC'],
        duration_desc: ['sort_duration', 'DESC'],
      }[sort];
      const expected = (
        db.prepare(`SELECT id FROM recordings ORDER BY ${column} ${dir}, id ${dir}`).all() as {
          id: number;
        }[]
      ).map((r) => r.id);
      expect(seen).toEqual(expected);
    }

    // A filtered walk visits exactly the filtered rows.
    const filtered: number[] = [];
    let cursor: string | null = null;
    do {
      const page = searchRecordings(db, { accountIds: [accounts[1]!], limit: 400, cursor });
      filtered.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(filtered).toHaveLength(2500);
    expect(new Set(filtered).size).toBe(2500);
  });

  it('refuses a cursor from another sort and a forged cursor', () => {
    const account = kallglotAccount(db);
    for (let i = 0; i < 3; i += 1)
      upsertDiscovered(db, account, kallglotRecording({ remoteId: `r${i}` }));
    const { nextCursor } = searchRecordings(db, { limit: 1 });
    expect(nextCursor).not.toBeNull();
    expect(() => searchRecordings(db, { limit: 1, cursor: nextCursor, sort: 'size_desc' })).toThrow(
      InvalidCursorError,
    );
    expect(() => searchRecordings(db, { cursor: 'not-a-cursor' })).toThrow(InvalidCursorError);
    const forged = Buffer.from(
      JSON.stringify(['recordedAt', 'desc', "x') OR 1=1 --", 'x']),
    ).toString('base64url');
    expect(() => searchRecordings(db, { cursor: forged })).toThrow(InvalidCursorError);
  });
});

describe('query plans', () => {
  function plan(search: RecordingSearch, path: AccessPath = 'sort'): string[] {
    const built = buildSearchSql(search, new Date('2024-03-10T00:00:00Z'), path);
    return (
      db.prepare(`EXPLAIN QUERY PLAN ${built.pageSql}`).all(...built.pageParams) as {
        detail: string;
      }[]
    ).map((row) => row.detail);
  }
  const fullScan = (details: string[]) =>
    details.some(
      (d) =>
        /^SCAN (r|o|recordings)$/.test(d) ||
        (/^SCAN (r|o|recordings) /.test(d) && !/USING/.test(d)),
    );

  beforeEach(() => {
    const account = kallglotAccount(db);
    db.transaction(() => {
      for (let i = 0; i < 200; i += 1) {
        upsertDiscovered(db, account, kallglotRecording({ remoteId: `r${i}` }));
      }
    })();
  });

  it('walks the sort index in order for a filtered first page: no full scan, no sort', () => {
    for (const sort of LIBRARY_SORTS) {
      const details = plan({ accountIds: [1], channels: ['agent'], states: ['archived'], sort });
      expect(details.join('\n')).toMatch(/USING INDEX recordings_\w+_filter/);
      expect(fullScan(details)).toBe(false);
      expect(details.join('\n')).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('seeks the next page (cursor) and serves date and expiry ranges from their index', () => {
    const { nextCursor } = searchRecordings(db, { accountIds: [1], limit: 10 });
    const next = plan({ accountIds: [1], cursor: nextCursor });
    expect(next.join('\n')).toMatch(
      /SEARCH r USING INDEX recordings_recorded_filter \(sort_recorded_at<\?\)/,
    );
    const atRisk = plan({ notArchived: true, sort: 'expires_asc', expiringWithinDays: 7 });
    expect(atRisk.join('\n')).toMatch(
      /SEARCH r USING INDEX recordings_expiry_filter \(sort_expires_at>\? AND sort_expires_at<\?\)/,
    );
    const month = plan({ from: '2024-02-01', to: '2024-02-29', sort: 'size_desc' }, 'recorded');
    expect(month.join('\n')).toMatch(
      /SEARCH r USING INDEX recordings_recorded_filter \(sort_recorded_at>\? AND sort_recorded_at<\?\)/,
    );
    expect(fullScan(plan({}))).toBe(false);
    expect(fullScan(plan({ sort: 'size_desc' }))).toBe(false);
  });

  it('finds rows not archived yet from their partial index', () => {
    const details = plan(
      { states: ['failed'], channels: ['agent'], sort: 'size_desc' },
      'unarchived',
    );
    expect(details.join('\n')).toMatch(
      /SEARCH r USING INDEX recordings_unarchived \(state=\? AND channel=\?\)/,
    );
    expect(fullScan(details)).toBe(false);
  });
});

describe('access paths', () => {
  const NOW = new Date('2024-03-10T00:00:00Z');
  const PATHS: AccessPath[] = [
    'sort',
    'filters',
    'recorded',
    'expiry',
    'unarchived',
    'account',
    'text',
  ];

  beforeEach(() => {
    const accounts = [kallglotAccount(db, 'a'), kallglotAccount(db, 'b'), envoyAccount(db, 'c')];
    const channels = ['mixed', 'agent', 'customer'] as const;
    db.transaction(() => {
      for (let i = 0; i < 1200; i += 1) {
        const account = accounts[i % 3]!;
        const day = String((i % 28) + 1).padStart(2, '0');
        const month = String((i % 4) + 1).padStart(2, '0');
        const input = {
          remoteId: `rec_${i}${i % 10 === 0 ? '_urgent' : ''}`,
          channel: channels[(i >> 2) % 3]!,
          recordedAt:
            i % 97 === 0 ? null : `2024-${month}-${day}T${String(i % 24).padStart(2, '0')}:00:00Z`,
          expiresAt: i % 13 === 0 ? null : `2024-03-${day}T00:00:00Z`,
          size: i % 11 === 0 ? null : (i % 37) * 1000,
          durationSec: i % 41,
        };
        const { recording } =
          i % 3 === 2
            ? upsertDiscovered(db, account, envoyRecording(input))
            : upsertDiscovered(db, account, kallglotRecording(input));
        if (i % 5 !== 0) {
          markArchived(db, recording.id, {
            localPath: `${i}.mp3`,
            localSize: 1,
            sha256: SHA,
            archivedAt: NOW,
          });
        } else if (i % 10 === 5) {
          markPending(db, recording.id, 'processing', NOW);
        }
      }
    })();
  });

  function walk(search: RecordingSearch, path: AccessPath): { ids: number[]; total: number } {
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const built = buildSearchSql({ ...search, cursor, limit: 37 }, NOW, path);
      const rows = db.prepare(built.pageSql).all(...built.pageParams) as {
        id: number;
        sort_key: string | number;
      }[];
      const page = rows.slice(0, 37);
      ids.push(...page.map((r) => r.id));
      const last = page.at(-1);
      cursor =
        rows.length > 37 && last
          ? encodeCursor({
              sort: built.sort,
              direction: built.direction,
              value: last.sort_key,
              id: last.id,
            })
          : null;
    } while (cursor !== null);
    const built = buildSearchSql(search, NOW, path, 100_000);
    const { total } = db.prepare(built.countSql).get(...built.countParams) as { total: number };
    return { ids, total };
  }

  it('every way in returns the same rows, in the same order, and the same count', () => {
    const searches: RecordingSearch[] = [
      {},
      { providers: ['envoy'], sort: 'size_desc' },
      { channels: ['agent'], states: ['archived'], sort: 'expires_asc' },
      { channels: ['agent', 'customer'], notArchived: true, sort: 'recorded_asc' },
      { states: ['pending', 'discovered'], providers: ['kallglot'] },
      { from: '2024-02-01', to: '2024-03-14', sort: 'size_desc' },
      { to: '2024-01-31', sort: 'recorded_desc' },
      { expiringWithinDays: 5, notArchived: true, sort: 'recorded_asc' },
      { expiringWithinDays: 20, channels: ['mixed'], sort: 'expires_asc' },
      { accountIds: [1], sort: 'size_desc' },
      { accountIds: [2, 3], from: '2024-03-01', states: ['archived'] },
      { text: 'urgent', sort: 'duration_desc' },
      { text: 'urgent', notArchived: true, channels: ['agent'] },
      { text: 'rec_1', expiringWithinDays: 9, sort: 'recorded_desc' },
    ];
    for (const search of searches) {
      const expected = walk(search, 'sort');
      expect(expected.ids.length).toBe(expected.total);
      expect(new Set(expected.ids).size).toBe(expected.ids.length);
      for (const path of PATHS) {
        const candidates: AccessPath[] = searchCandidates(search, 100_000, NOW).map((c) => c.path);
        if (path !== 'sort' && path !== 'filters' && !candidates.includes(path)) continue;
        expect({ search, path, ...walk(search, path) }).toEqual({ search, path, ...expected });
      }
      // And whichever path searchRecordings picks.
      const picked = searchRecordings(db, { ...search, limit: 1000, withTotal: true }, NOW);
      expect(picked.rows.map((r) => r.id)).toEqual(expected.ids.slice(0, 1000));
      expect(picked.total).toBe(expected.total);
    }
  });

  it('one channel, provider and state: the equality index gives the same rows, order and count', () => {
    const unarchived: RecordingSearch[] = [
      {
        channels: ['agent'],
        providers: ['kallglot'],
        notArchived: true,
        expiringWithinDays: 20,
        sort: 'expires_asc',
      },
      { channels: ['mixed'], providers: ['envoy'], notArchived: true, sort: 'size_desc' },
      {
        channels: ['customer'],
        providers: ['kallglot'],
        states: ['pending', 'discovered'],
        sort: 'recorded_asc',
      },
      {
        channels: ['agent'],
        providers: ['kallglot'],
        states: ['discovered'],
        notArchived: true,
        to: '2024-03-01',
        sort: 'recorded_desc',
      },
    ];
    const searches: RecordingSearch[] = [
      { channels: ['agent'], providers: ['kallglot'], states: ['archived'], sort: 'size_desc' },
      {
        channels: ['mixed'],
        providers: ['envoy'],
        states: ['archived'],
        from: '2024-02-01',
        sort: 'recorded_asc',
      },
      {
        channels: ['customer'],
        providers: ['kallglot'],
        states: ['archived'],
        to: '2024-02-14',
        sort: 'recorded_desc',
      },
      {
        channels: ['agent'],
        providers: ['kallglot'],
        states: ['pending'],
        expiringWithinDays: 20,
        sort: 'expires_asc',
      },
      {
        channels: ['mixed'],
        providers: ['kallglot'],
        states: ['discovered'],
        sort: 'duration_desc',
      },
    ];
    // One state named (with or without "not archived") is the full equality index.
    const expectedPath = (search: RecordingSearch) =>
      search.states?.length === 1 ? 'equal' : 'equalUnarchived';
    for (const search of [...searches, ...unarchived]) {
      const path = equalPathOf(search, NOW, null);
      expect({ search, path }).toEqual({ search, path: expectedPath(search) });
      const expected = walk(search, 'sort');
      expect(expected.total).toBeGreaterThan(0);
      expect({ search, ...walk(search, path!) }).toEqual({ search, ...expected });
      const picked = searchRecordings(db, { ...search, limit: 1000, withTotal: true }, NOW);
      expect(picked.rows.map((r) => r.id)).toEqual(expected.ids.slice(0, 1000));
      expect(picked.total).toBe(expected.total);
    }
    // Anything more (an account, a date under another sort, two channels) is not one range.
    for (const search of [
      { channels: ['agent'], providers: ['kallglot'], states: ['archived'], accountIds: [1] },
      {
        channels: ['agent'],
        providers: ['kallglot'],
        states: ['archived'],
        from: '2024-02-01',
        sort: 'size_desc',
      },
      { channels: ['agent', 'mixed'], providers: ['kallglot'], states: ['archived'] },
      { channels: ['agent'], providers: ['kallglot'], states: ['archived'], text: 'urgent' },
      { providers: ['kallglot'], notArchived: true, expiringWithinDays: 20 },
      { channels: ['agent'], providers: ['kallglot'], states: ['archived', 'pending'] },
    ] as RecordingSearch[]) {
      expect({ search, path: equalPathOf(search, NOW, null) }).toEqual({ search, path: null });
    }
  });

  it('a sort page bounded at an index entry holds the matches up to that entry, in order', () => {
    const searches: RecordingSearch[] = [
      { providers: ['envoy'], sort: 'size_desc' },
      { channels: ['agent'], states: ['archived'], sort: 'expires_asc' },
      { channels: ['agent', 'customer'], notArchived: true, sort: 'recorded_asc' },
      { accountIds: [2, 3], states: ['archived'] },
    ];
    for (const search of searches) {
      const expected = walk(search, 'sort').ids;
      const order = { sort: search.sort };
      const everyRow = walk(order, 'sort').ids;
      for (const [steps, skip] of [
        [0, 0],
        [20, 0],
        [150, 0],
        [700, 0],
        [150, 40],
        [5000, 40],
      ] as const) {
        // A cursor after the `skip`-th row of the whole index (any row, matching or not).
        const after = skip > 0 ? everyRow[skip - 1]! : null;
        let cursor: string | null = null;
        if (after !== null) {
          const built = buildSearchSql(order, NOW, 'sort');
          const row = db
            .prepare(`SELECT * FROM (${built.pageSql.replace(/LIMIT \?$/, '')}) WHERE id = ?`)
            .get(...built.pageParams.slice(0, -1), after) as { sort_key: string | number };
          cursor = encodeCursor({
            sort: built.sort,
            direction: built.direction,
            value: row.sort_key,
            id: after,
          });
        }
        const { sql, params } = sortBoundSql({ ...search, cursor }, steps);
        const bound = (db.prepare(sql).get(...params) as SortKeyBound | undefined) ?? null;
        const reach = new Set(everyRow.slice(skip, skip + steps + 1));
        expect(bound === null).toBe(skip + steps >= everyRow.length);
        if (bound !== null) expect(bound.id).toBe(everyRow[skip + steps]);
        const built = buildSearchSql({ ...search, cursor, limit: 37 }, NOW, 'sort', 1, null, bound);
        const ids = (db.prepare(built.pageSql).all(...built.pageParams) as { id: number }[]).map(
          (r) => r.id,
        );
        const inRange = new Set(everyRow.slice(skip));
        const want = expected.filter((id) => inRange.has(id) && (bound === null || reach.has(id)));
        expect({ search, steps, skip, ids }).toEqual({
          search,
          steps,
          skip,
          ids: want.slice(0, 38),
        });
      }
    }
  });

  it('counts totals up to 10,000 and says when there are more', () => {
    db.transaction(() => {
      const account = kallglotAccount(db, 'bulk');
      for (let i = 0; i < TOTAL_COUNT_CAP; i += 1) {
        upsertDiscovered(db, account, kallglotRecording({ remoteId: `bulk_${i}` }));
      }
    })();
    const all = searchRecordings(db, { withTotal: true, limit: 1 });
    expect(all.total).toBe(TOTAL_COUNT_CAP);
    expect(all.totalCapped).toBe(true);
    const some = searchRecordings(db, { withTotal: true, limit: 1, text: 'urgent' });
    expect(some.total).toBe(120);
    expect(some.totalCapped).toBeUndefined();
  });
});
