import type { LibraryQuery, RecordingRow } from '../../../main/core/contract/types.ts';
import { call, describeFailure } from '../lib/failure.ts';
import { defaultQuery } from './filter-defaults.ts';
import type { ApiOf } from './types.ts';

export const PAGE_SIZE = 100;
export const SEARCH_DELAY_MS = 150;
/** Coalesces bursts of `libraryChanged` during a sync into one refresh. */
export const REFRESH_DELAY_MS = 1000;

/**
 * The library's rows, fetched a page at a time with the keyset cursor. Every new query bumps a
 * generation; a response from an older generation is dropped, so a slow answer to "ab" never
 * replaces the answer to "abc".
 */
export class LibraryState {
  query = $state.raw<LibraryQuery>(defaultQuery());
  rows = $state.raw<RecordingRow[]>([]);
  total = $state<number | null>(null);
  /** The count stopped at `total` (large result sets are not counted to the end). */
  totalCapped = $state(false);
  nextCursor = $state<string | null>(null);
  /** A first page is on its way (the table shows a loading state). */
  loading = $state(false);
  loadingMore = $state(false);
  loaded = $state(false);
  error = $state<string | null>(null);

  private generation = 0;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly api: ApiOf<'librarySearch' | 'onLibraryChanged'>) {}

  get hasMore(): boolean {
    return this.nextCursor !== null;
  }

  connect(): () => void {
    const unsubscribe = this.api.onLibraryChanged(() => this.scheduleRefresh());
    return () => {
      unsubscribe();
      this.clearTimers();
    };
  }

  /** Search as you type: waits for a short pause in typing before asking. */
  setText(text: string): void {
    this.query = { ...this.query, text };
    if (this.searchTimer !== null) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.searchTimer = null;
      void this.reload();
    }, SEARCH_DELAY_MS);
  }

  /** Filters and sorting apply at once. */
  setQuery(patch: Partial<LibraryQuery>): void {
    this.query = { ...this.query, ...patch };
    void this.reload();
  }

  /** Exactly these filters, every other one cleared (a figure of the overview opened). */
  show(filters: Partial<LibraryQuery>): void {
    this.query = { ...defaultQuery(), ...filters };
    void this.reload();
  }

  resetFilters(): void {
    this.query = { ...defaultQuery(), sort: this.query.sort };
    void this.reload();
  }

  /** The first page of the current query; earlier requests' answers are ignored from now on. */
  async reload(limit = PAGE_SIZE): Promise<void> {
    if (this.searchTimer !== null) clearTimeout(this.searchTimer);
    this.searchTimer = null;
    const generation = ++this.generation;
    this.loading = true;
    this.loadingMore = false;
    const result = await call(() =>
      this.api.librarySearch({ query: this.query, cursor: null, limit, withTotal: true }),
    );
    if (generation !== this.generation) return;
    this.loading = false;
    this.loaded = true;
    if (result.ok) {
      this.rows = result.value.rows;
      this.nextCursor = result.value.nextCursor;
      this.total = result.value.total;
      this.totalCapped = result.value.totalCapped === true;
      this.error = null;
    } else {
      this.error = describeFailure(result);
    }
  }

  /** The next page, when the table nears its end. One at a time; never everything. */
  async loadMore(): Promise<void> {
    if (this.loading || this.loadingMore || this.nextCursor === null) return;
    const generation = this.generation;
    this.loadingMore = true;
    const result = await call(() =>
      this.api.librarySearch({ query: this.query, cursor: this.nextCursor, limit: PAGE_SIZE }),
    );
    if (generation !== this.generation) return;
    this.loadingMore = false;
    if (result.ok) {
      this.rows = [...this.rows, ...result.value.rows];
      this.nextCursor = result.value.nextCursor;
      this.error = null;
    } else {
      this.error = describeFailure(result);
    }
  }

  /** Re-reads what is on screen (up to the largest page) after the index changed. */
  refresh(): Promise<void> {
    return this.reload(Math.min(500, Math.max(PAGE_SIZE, this.rows.length)));
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer !== null) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refresh();
    }, REFRESH_DELAY_MS);
  }

  private clearTimers(): void {
    if (this.searchTimer !== null) clearTimeout(this.searchTimer);
    if (this.refreshTimer !== null) clearTimeout(this.refreshTimer);
    this.searchTimer = this.refreshTimer = null;
  }
}
