// A listing read page by page ends when the provider says so, and also when the provider
// misbehaves: a page that brings nothing new (the same page again, a cursor that does not
// move) would be asked for forever, and a listing that never ends would never finish a sync.
import { PROVIDER_LABELS, ProviderError } from './errors.ts';
import type { ProviderKind } from './types.ts';

/** A million items at 100 a page: past this a listing is broken, not long. */
export const MAX_LIST_PAGES = 10_000;

export interface PageGuard {
  /**
   * After each page, with how many of its items were new to this listing: throws when a
   * non-empty page brought nothing new, or when there have been too many pages.
   */
  afterPage(items: number, fresh: number): void;
}

export function pageGuard(
  provider: ProviderKind,
  endpoint: string,
  maxPages = MAX_LIST_PAGES,
): PageGuard {
  let pages = 0;
  const fail = (message: string): ProviderError =>
    new ProviderError({ provider, kind: 'invalid_response', endpoint, message });
  return {
    afterPage(items, fresh) {
      pages++;
      if (items > 0 && fresh === 0) {
        throw fail(
          `${PROVIDER_LABELS[provider]} sent a page of ${endpoint} with nothing new (the same page again); the listing was stopped`,
        );
      }
      if (pages >= maxPages) {
        throw fail(
          `${PROVIDER_LABELS[provider]} listed more than ${maxPages} pages from ${endpoint}; the listing was stopped`,
        );
      }
    },
  };
}
