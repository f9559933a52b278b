import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LibraryPage } from '../../../main/core/contract/types.ts';
import { fail, type Result } from '../../../main/core/contract/result.ts';
import { createFakeApi, deferred } from '../test-support/fake-api.ts';
import { row } from '../test-support/rows.ts';
import { LibraryState, PAGE_SIZE, REFRESH_DELAY_MS, SEARCH_DELAY_MS } from './library.svelte.ts';

const page = (ids: number[], nextCursor: string | null = null): Result<LibraryPage> => ({
  ok: true,
  value: { rows: ids.map((id) => row(id)), nextCursor, total: ids.length },
});

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('LibraryState', () => {
  it('searches once typing pauses, not on every key', async () => {
    const api = createFakeApi();
    const library = new LibraryState(api);
    library.setText('a');
    library.setText('ab');
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS - 10);
    library.setText('abc');
    expect(api.librarySearch).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS);
    expect(api.librarySearch).toHaveBeenCalledTimes(1);
    expect(api.librarySearch.mock.calls[0]![0].query.text).toBe('abc');
  });

  it('ignores a slow answer to an older query', async () => {
    const api = createFakeApi();
    const slow = deferred<Result<LibraryPage>>();
    const fast = deferred<Result<LibraryPage>>();
    api.librarySearch.mockReturnValueOnce(slow.promise).mockReturnValueOnce(fast.promise);
    const library = new LibraryState(api);
    library.setText('ab');
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS);
    library.setText('abc');
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS);
    fast.resolve(page([3]));
    await vi.advanceTimersByTimeAsync(0);
    slow.resolve(page([1, 2]));
    await vi.advanceTimersByTimeAsync(0);
    expect(library.rows.map((r) => r.id)).toEqual([3]);
    expect(library.loading).toBe(false);
  });

  it('knows when the engine stopped counting at its cap', async () => {
    const api = createFakeApi();
    api.librarySearch.mockResolvedValueOnce({
      ok: true,
      value: { rows: [row(1)], nextCursor: 'c', total: 10_000, totalCapped: true },
    });
    const library = new LibraryState(api);
    await library.reload();
    expect(library.total).toBe(10_000);
    expect(library.totalCapped).toBe(true);
    api.librarySearch.mockResolvedValueOnce(page([1, 2]));
    await library.reload();
    expect(library.totalCapped).toBe(false);
  });

  it('loads the next page with the cursor, one request at a time', async () => {
    const api = createFakeApi();
    api.librarySearch.mockResolvedValueOnce(page([1, 2], 'c1'));
    const library = new LibraryState(api);
    await library.reload();
    const next = deferred<Result<LibraryPage>>();
    api.librarySearch.mockReturnValueOnce(next.promise);
    void library.loadMore();
    void library.loadMore();
    next.resolve(page([3], null));
    await vi.advanceTimersByTimeAsync(0);
    expect(api.librarySearch).toHaveBeenCalledTimes(2);
    expect(api.librarySearch.mock.calls[1]![0]).toMatchObject({ cursor: 'c1', limit: PAGE_SIZE });
    expect(library.rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(library.hasMore).toBe(false);
    await library.loadMore();
    expect(api.librarySearch).toHaveBeenCalledTimes(2);
  });

  it('drops a page that arrives after the query changed', async () => {
    const api = createFakeApi();
    api.librarySearch.mockResolvedValueOnce(page([1], 'c1'));
    const library = new LibraryState(api);
    await library.reload();
    const late = deferred<Result<LibraryPage>>();
    api.librarySearch.mockReturnValueOnce(late.promise).mockResolvedValueOnce(page([9]));
    void library.loadMore();
    library.setQuery({ providers: ['envoy'] });
    await vi.advanceTimersByTimeAsync(0);
    late.resolve(page([2]));
    await vi.advanceTimersByTimeAsync(0);
    expect(library.rows.map((r) => r.id)).toEqual([9]);
  });

  it('shows a failed search in words and keeps the rows it had', async () => {
    const api = createFakeApi();
    api.librarySearch
      .mockResolvedValueOnce(page([1]))
      .mockResolvedValueOnce(fail('invalid_arguments', ''));
    const library = new LibraryState(api);
    await library.reload();
    await library.reload();
    expect(library.error).toBe('Some of the values entered are not valid.');
    expect(library.rows).toHaveLength(1);
  });

  it('refreshes once after a burst of libraryChanged events', async () => {
    const api = createFakeApi();
    const library = new LibraryState(api);
    const stop = library.connect();
    for (let i = 0; i < 20; i++) api.emit('libraryChanged', { recordingIds: [i] });
    await vi.advanceTimersByTimeAsync(REFRESH_DELAY_MS);
    expect(api.librarySearch).toHaveBeenCalledTimes(1);
    stop();
    expect(api.listenerCount('libraryChanged')).toBe(0);
  });
});
