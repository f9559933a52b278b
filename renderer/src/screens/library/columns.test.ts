import { describe, expect, it } from 'vitest';
import { LIBRARY_COLUMNS } from '../../../../main/core/contract/vocabulary.ts';
import { row } from '../../test-support/rows.ts';
import { clampWidth, COLUMNS, gridTemplate, tableMinWidth, visibleColumns } from './columns.ts';
import { stateBadge } from './state-badge.ts';
import { retryableIds, retryMessage } from './bulk-retry.ts';

describe('library columns', () => {
  it('are the settings’ columns, in the same order', () => {
    expect(COLUMNS.map((c) => c.key)).toEqual([...LIBRARY_COLUMNS]);
  });

  it('lay out dragged widths in px and the rest at their starting widths', () => {
    const layout = { widths: { session: 260 }, hidden: ['format' as const, 'tags' as const] };
    const shown = visibleColumns(layout);
    expect(shown.map((c) => c.key)).not.toContain('format');
    expect(shown).toHaveLength(COLUMNS.length - 2);
    const tracks = gridTemplate(shown, layout).split(/ (?![^(]*\))/);
    expect(tracks[shown.findIndex((c) => c.key === 'session')]).toBe('260px');
    expect(tracks[0]).toBe('11.8rem');
    expect(tableMinWidth(shown, layout)).toContain('260px');
  });

  it('never shows no column at all', () => {
    expect(visibleColumns({ widths: {}, hidden: [...LIBRARY_COLUMNS] })).toHaveLength(1);
  });

  it('keeps a width within what the settings accept and above the label’s own width', () => {
    expect(clampWidth(5)).toBe(40);
    expect(clampWidth(5, 73.2)).toBe(74);
    expect(clampWidth(5000)).toBe(800);
  });
});

describe('state badge', () => {
  it('says the state in words with an icon, integrity and disposal first', () => {
    expect(stateBadge(row(1))).toEqual({ tone: 'ok', icon: '✓', label: 'Archived' });
    expect(stateBadge(row(1, { state: 'failed' }))).toMatchObject({ label: 'Failed', icon: '✗' });
    expect(stateBadge(row(1, { integrityFailed: true }))).toMatchObject({
      label: 'Integrity failed',
      tone: 'danger',
    });
    expect(
      stateBadge(row(1, { state: 'skipped', disposedAt: '2026-01-01T00:00:00Z' })),
    ).toMatchObject({
      label: 'Disposed',
    });
    // Two states of one tone still differ in shape and word.
    expect(stateBadge(row(1, { state: 'gone' })).icon).not.toBe(
      stateBadge(row(1, { state: 'failed' })).icon,
    );
  });
});

describe('bulk retry', () => {
  it('asks again only for the selected rows that are not archived', () => {
    const rows = [row(1), row(2, { state: 'failed' }), row(3, { state: 'pending' }), row(4)];
    expect(retryableIds(rows, [1, 2, 3])).toEqual([2, 3]);
    expect(retryableIds(rows, [])).toEqual([]);
  });

  it('says what was queued and where to watch it', () => {
    const job = { id: 4, accountName: 'Demo' } as never;
    expect(retryMessage({ jobs: [job], queued: 2, alreadyArchived: 1 })).toBe(
      '2 recordings queued again: sync job 4 (Demo) (see Sync). 1 was archived already.',
    );
  });
});
