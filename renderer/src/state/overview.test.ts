// The overview re-reads its figures when anything it shows changes, without a reload.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeApi } from '../test-support/fake-api.ts';
import { allArchived, jobView } from '../test-support/views.ts';
import { OVERVIEW_REFRESH_MS, OverviewState } from './overview.svelte.ts';

afterEach(() => vi.useRealTimers());

describe('overview state', () => {
  it.each([
    [
      'a sync',
      (api: ReturnType<typeof createFakeApi>) =>
        api.emit('jobProgress', { job: jobView(1, allArchived(2)), items: [] }),
    ],
    [
      'library rows',
      (api: ReturnType<typeof createFakeApi>) => api.emit('libraryChanged', { recordingIds: [4] }),
    ],
    ['an account', (api: ReturnType<typeof createFakeApi>) => api.emit('accountsChanged', {})],
    [
      'a verify',
      (api: ReturnType<typeof createFakeApi>) =>
        api.emit('verifyFinished', { checked: 3, problems: 0 }),
    ],
  ])('re-reads once after %s changes', (_, change) => {
    vi.useFakeTimers();
    const api = createFakeApi();
    const overview = new OverviewState(api);
    const stop = overview.connect();
    change(api);
    change(api);
    expect(api.overview).not.toHaveBeenCalled();
    vi.advanceTimersByTime(OVERVIEW_REFRESH_MS * 3);
    // A burst is one read plus one for the change that came during the wait.
    expect(api.overview.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(api.overview.mock.calls.length).toBeLessThanOrEqual(2);
    stop();
  });
});
