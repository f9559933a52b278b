import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFakeApi } from '../../test-support/fake-api.ts';
import { row } from '../../test-support/rows.ts';
import { LibraryState } from '../../state/library.svelte.ts';
import { Selection } from '../../state/selection.svelte.ts';
import LibraryTable from './LibraryTable.svelte';

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

async function setup() {
  const api = createFakeApi();
  const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();
  api.librarySearch.mockResolvedValue({
    ok: true,
    value: {
      rows: [
        row(1),
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
  render(LibraryTable, { library, selection, activeId: null, onactivate, ondragrows });
  const rows = await screen.findAllByTestId('library-row');
  return { rows, selection, onactivate, ondragrows, library, api };
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
    expect(cell.querySelector('[aria-hidden="true"]')?.textContent).toMatch(/^sess_demo.*….*a91f$/);
  });
});
