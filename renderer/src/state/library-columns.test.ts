import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  LIBRARY_COLUMNS_DEFAULT,
  type LibraryColumnsLayout,
} from '../../../main/core/contract/vocabulary.ts';
import { COLUMN_SAVE_DELAY_MS, LibraryColumns } from './library-columns.svelte.ts';

afterEach(() => vi.useRealTimers());

function setup(fail: string | null = null) {
  let stored: LibraryColumnsLayout | undefined;
  const save = vi.fn(async (layout: LibraryColumnsLayout) => {
    if (fail === null) stored = layout;
    return fail;
  });
  return { columns: new LibraryColumns(() => stored, save), save, stored: () => stored };
}

describe('LibraryColumns', () => {
  it('shows a drag at once and saves it when let go', async () => {
    const { columns, save, stored } = setup();
    columns.setWidth('session', 300);
    expect(columns.layout.widths.session).toBe(300);
    expect(save).not.toHaveBeenCalled();
    await columns.commit();
    expect(stored()).toEqual({ widths: { session: 300 }, hidden: LIBRARY_COLUMNS_DEFAULT.hidden });
  });

  it('saves key presses once they pause', async () => {
    vi.useFakeTimers();
    const { columns, save } = setup();
    columns.setWidth('date', 200);
    columns.commitSoon();
    columns.setWidth('date', 210);
    columns.commitSoon();
    await vi.advanceTimersByTimeAsync(COLUMN_SAVE_DELAY_MS);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenLastCalledWith({
      widths: { date: 210 },
      hidden: LIBRARY_COLUMNS_DEFAULT.hidden,
    });
  });

  it('hides and shows columns in table order, never the last one', async () => {
    const { columns, stored } = setup();
    columns.setHidden('state', true);
    columns.setHidden('date', true);
    await Promise.resolve();
    expect(stored()?.hidden).toEqual(['date', 'provider', 'format', 'size', 'state']);
    columns.setHidden('date', false);
    columns.setHidden('provider', false);
    expect(columns.layout.hidden).toEqual(['format', 'size', 'state']);
  });

  it('keeps the change on screen and says so when it cannot be saved', async () => {
    const { columns } = setup('The engine is busy.');
    columns.setWidth('size', 120);
    await columns.commit();
    expect(columns.layout.widths.size).toBe(120);
    expect(columns.error).toBe('The column layout was not saved: The engine is busy.');
  });
});
