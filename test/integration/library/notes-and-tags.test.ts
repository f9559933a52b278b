// Notes and tags through the handler table on a real archive: what the user types is kept
// (tags tidied), found by search, audited in the chain, and still there after a restart.
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { newDataDir } from '../../support/engine.ts';
import { openAppEngine, request, settledJob } from '../../support/handlers.ts';

let fake: FakeKallglot | null = null;
let engine: Engine | null = null;

afterEach(async () => {
  await engine?.close();
  await fake?.close();
  engine = fake = null;
});

async function searchIds(e: Engine, text: string): Promise<number[]> {
  const page = await request(e, 'librarySearch', { query: { text } });
  return page.rows.map((row) => row.id);
}

describe('notes and tags', () => {
  it('are kept, searchable, audited and still there after a restart', async () => {
    fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_notes')] });
    const dataDir = newDataDir();
    engine = await openAppEngine({ K: fake.apiKey }, { dataDir });
    const account = engine.accounts.add(
      'kallglot',
      { name: 'Main', baseUrl: fake.baseUrl },
      { secretEnv: 'K' },
    );
    const job = await request(engine, 'syncStart', {
      accountId: account.id,
      sessions: [{ id: 'sess_notes' }],
    });
    expect((await settledJob(engine, job.id)).totals.archived).toBe(3);
    const [id, other] = await searchIds(engine, 'sess_notes');
    expect(await searchIds(engine, 'refund')).toEqual([]);

    const updated = await request(engine, 'recordingUpdate', {
      id: id!,
      notes: 'Customer asked for a refund twice.',
      tags: ['Legal hold', ' complaint ', 'legal HOLD'],
    });
    expect(updated.notes).toBe('Customer asked for a refund twice.');
    expect(updated.tags).toEqual(['Legal hold', 'complaint']);
    expect(await searchIds(engine, 'refund')).toEqual([id]);
    expect(await searchIds(engine, 'complaint')).toEqual([id]);
    const untouched = await request(engine, 'recordingGet', { id: other! });
    expect(untouched).toMatchObject({ notes: '', tags: [] });

    // Refused input changes nothing.
    await expect(
      request(engine, 'recordingUpdate', {
        id: id!,
        notes: 'overwritten',
        tags: ['x'.repeat(101)],
      }),
    ).rejects.toMatchObject({ code: 'invalid_arguments' });

    const detail = await request(engine, 'recordingGet', { id: id! });
    expect(detail.notes).toBe('Customer asked for a refund twice.');
    const changes = detail.audit.filter((entry) => entry.action.startsWith('recording.'));
    expect(changes.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['recording.notes_changed', 'recording.tags_changed']),
    );
    expect(changes.find((e) => e.action === 'recording.tags_changed')!.details).toMatchObject({
      tags: ['Legal hold', 'complaint'],
    });
    expect(await request(engine, 'verifyAudit', {})).toMatchObject({ ok: true, problems: [] });

    // Another start of the app finds them as they were; clearing the tags is audited too.
    await engine.close();
    engine = await openAppEngine({ K: fake.apiKey }, { dataDir });
    expect(await request(engine, 'recordingGet', { id: id! })).toMatchObject({
      notes: 'Customer asked for a refund twice.',
      tags: ['Legal hold', 'complaint'],
    });
    const cleared = await request(engine, 'recordingUpdate', { id: id!, tags: [] });
    expect(cleared).toMatchObject({ notes: 'Customer asked for a refund twice.', tags: [] });
    expect(await searchIds(engine, 'complaint')).toEqual([]);
    expect(cleared.audit.filter((entry) => entry.action === 'recording.tags_changed')).toHaveLength(
      2,
    );
  });

  it('are added to and removed from a selection in bulk, counted, and filter the library', async () => {
    fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_bulk')] });
    engine = await openAppEngine({ K: fake.apiKey }, { dataDir: newDataDir() });
    const account = engine.accounts.add(
      'kallglot',
      { name: 'Main', baseUrl: fake.baseUrl },
      { secretEnv: 'K' },
    );
    const job = await request(engine, 'syncStart', {
      accountId: account.id,
      sessions: [{ id: 'sess_bulk' }],
    });
    expect((await settledJob(engine, job.id)).totals.archived).toBe(3);
    const [a, b, c] = await searchIds(engine, 'sess_bulk');
    const tagged = async (tag: string) =>
      (await request(engine!, 'librarySearch', { query: { tags: [tag] } })).rows
        .map((row) => row.id)
        .sort();

    expect(
      await request(engine, 'recordingsTag', { recordingIds: [a!, b!], add: 'Escalated' }),
    ).toEqual({ matched: 2, changed: 2 });
    expect(await tagged('escalated')).toEqual([a, b].sort());
    // The rows carry their tags for the table's Tags column.
    const page = await request(engine, 'librarySearch', { query: { tags: ['Escalated'] } });
    expect(page.rows.every((row) => row.tags.includes('Escalated'))).toBe(true);
    // Tagging again changes nothing; "all results" (a query) reaches the third one too.
    expect(
      await request(engine, 'recordingsTag', { query: { text: 'sess_bulk' }, add: 'escalated' }),
    ).toEqual({ matched: 3, changed: 1 });
    expect(await request(engine, 'libraryTags', {})).toEqual({
      tags: [{ tag: 'Escalated', count: 3 }],
    });
    expect(
      await request(engine, 'recordingsTag', { recordingIds: [c!], remove: 'ESCALATED' }),
    ).toEqual({ matched: 1, changed: 1 });
    expect(await tagged('Escalated')).toEqual([a, b].sort());
    const detail = await request(engine, 'recordingGet', { id: c! });
    expect(detail.audit.filter((e) => e.action === 'recording.tags_changed')).toHaveLength(2);

    // Refused in words, changing nothing.
    await expect(
      request(engine, 'recordingsTag', { recordingIds: [a!], add: 'x', remove: 'y' }),
    ).rejects.toMatchObject({ code: 'invalid_arguments' });
    await expect(
      request(engine, 'recordingsTag', { recordingIds: [a!, 99_999], add: 'Other' }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(await tagged('Other')).toEqual([]);
  });
});
