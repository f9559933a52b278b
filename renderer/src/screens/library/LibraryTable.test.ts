import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFakeApi } from '../../test-support/fake-api.ts';
import { row } from '../../test-support/rows.ts';
import { LibraryState } from '../../state/library.svelte.ts';
import { Selection } from '../../state/selection.svelte.ts';
import LibraryTable from './LibraryTable.svelte';
import { LibraryColumns } from '../../state/library-columns.svelte.ts';
import type { LibraryColumnsLayout } from '../../../../main/core/contract/vocabulary.ts';

// jsdom has no layout: this ResizeObserver reports every observed element as 800×600, so
// virtua believes in a viewport and renders the rows that fit it.
beforeAll(() => {
  globalThis.ResizeObserver = class {
    constructor(private readonly callback: ResizeObserverCallback) {}
    observe(target: Element) {
      const entry = { target, contentRect: { width: 800, height: 600 } } as never;
      queueMicrotask(() => this.callback([entry], this as never));
    }
    unobserve() {}
    disconnect() {}
  } as never;
});
afterEach(cleanup);

let layout: LibraryColumnsLayout = { widths: {}, hidden: [] };
let saved: LibraryColumnsLayout[] = [];

async function setup() {
  layout = { widths: {}, hidden: [] };
  saved = [];
  const api = createFakeApi();
  const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();
  api.librarySearch.mockResolvedValue({
    ok: true,
    value: {
      rows: [
        row(1, { tags: ['Fraud', 'VIP'] }),
        row(2, { state: 'discovered', expiresAt: soon, archivedAt: null }),
        row(3, { sessionId: 'sess_demo_standard_0042_a91f' }),
        row(4),
      ],
      nextCursor: null,
      total: 4,
    },
  });
  const library = new LibraryState(api);
  await library.reload();
  const selection = new Selection();
  const onactivate = vi.fn();
  const ondragrows = vi.fn();
  const columns = new LibraryColumns(
    () => layout,
    async (next) => {
      saved.push(next);
      layout = next;
      return null;
    },
  );
  render(LibraryTable, { library, selection, columns, activeId: null, onactivate, ondragrows });
  const rows = await screen.findAllByTestId('library-row');
  return { rows, selection, onactivate, ondragrows, library, api, columns, saved };
}

describe('LibraryTable', () => {
  it('selects with click, shift-click and ctrl-click, and marks rows aria-selected', async () => {
    const { rows, onactivate } = await setup();
    await fireEvent.click(rows[0]!);
    await fireEvent.click(rows[2]!, { shiftKey: true });
    const selected = () => rows.map((r) => r.getAttribute('aria-selected') === 'true');
    expect(selected()).toEqual([true, true, true, false]);
    await fireEvent.click(rows[1]!, { ctrlKey: true });
    await fireEvent.click(rows[3]!, { metaKey: true });
    expect(selected()).toEqual([true, false, true, true]);
    expect(onactivate).toHaveBeenLastCalledWith(4);
  });

  it('highlights recordings the provider deletes within 7 days that are not archived', async () => {
    const { rows } = await setup();
    expect(rows[1]!.classList.contains('expiring')).toBe(true);
    expect(rows[1]!.textContent).toContain('3 days');
    expect(rows[0]!.classList.contains('expiring')).toBe(false);
  });

  it('drags the selection out instead of the text', async () => {
    const { rows, ondragrows } = await setup();
    await fireEvent.click(rows[0]!);
    await fireEvent.click(rows[1]!, { shiftKey: true });
    const event = new Event('dragstart', { bubbles: true, cancelable: true });
    rows[1]!.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
    expect(ondragrows).toHaveBeenCalledWith([1, 2]);
    // Dragging an unselected row drags that row alone.
    rows[3]!.dispatchEvent(new Event('dragstart', { bubbles: true, cancelable: true }));
    expect(ondragrows).toHaveBeenLastCalledWith([4]);
  });

  it('sorts from the headers and moves with the arrow keys', async () => {
    const { library, selection, api } = await setup();
    await fireEvent.click(screen.getByRole('button', { name: /Size/ }));
    expect(library.query.sort).toBe('size_desc');
    expect(api.librarySearch).toHaveBeenCalledTimes(2);
    const grid = screen.getByRole('grid');
    await fireEvent.keyDown(grid, { key: 'a', ctrlKey: true });
    expect(selection.allResults).toBe(true);
  });

  it('shows a long session id cut in the middle, whole in its title', async () => {
    const { rows } = await setup();
    const cell = rows[2]!.querySelector('.cell-session')!;
    expect(cell.querySelector('[title]')?.getAttribute('title')).toBe(
      'sess_demo_standard_0042_a91f',
    );
    expect(cell.querySelector('[aria-hidden="true"]')?.textContent).toMatch(
      /^sess_dem[^…]*…[^…]*a91f$/,
    );
  });

  it('shows the state as a badge with an icon and words, and the tags', async () => {
    const { rows } = await setup();
    const badges = rows.map((r) => r.querySelector('[data-testid="state-badge"]')!);
    expect(badges[0]!.textContent).toBe('✓Archived');
    expect(badges[1]!.textContent).toBe('○Discovered');
    expect(badges[0]!.querySelector('[aria-hidden="true"]')!.textContent).toBe('✓');
    expect(rows[0]!.querySelector('.cell-tags')!.textContent!.trim()).toBe('Fraud, VIP');
  });

  it('resizes a column from the keyboard and saves it; a hidden column is not drawn', async () => {
    const { columns } = await setup();
    const edge = screen.getByRole('separator', { name: 'Width of the Account column' });
    await fireEvent.keyDown(edge, { key: 'ArrowRight' });
    // jsdom has no layout: the header measures 0 wide, so the width is its label's minimum + 10.
    expect(columns.layout.widths.account).toBeGreaterThanOrEqual(40);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(saved.at(-1)?.widths.account).toBe(columns.layout.widths.account);
    columns.setHidden('format', true);
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(document.querySelector('[data-column="format"]')).toBeNull();
    expect(document.querySelectorAll('.cell-format')).toHaveLength(0);
    expect(document.querySelector('[data-column="size"]')).not.toBeNull();
  });
});
