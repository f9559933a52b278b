// Toasts for work that ends while the user is elsewhere in the app: what they say, when they
// come, and when they go.
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Toasts from '../components/Toasts.svelte';
import { createFakeApi } from '../test-support/fake-api.ts';
import { allArchived, exportView, jobView } from '../test-support/views.ts';
import { Notices, OK_NOTICE_MS } from './notices.svelte.ts';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function setUp(current: 'overview' | 'sync' | 'exports' = 'overview') {
  const api = createFakeApi();
  const nav = { current: current as string } as { current: 'overview' | 'sync' | 'exports' };
  const notices = new Notices(api, nav);
  const stop = notices.connect();
  return { api, nav, notices, stop };
}

describe('toasts', () => {
  it('a sync that ends while on another screen is announced once, in words', () => {
    const { api, notices } = setUp('overview');
    api.emit('jobProgress', { job: jobView(3), items: [] });
    expect(notices.list).toHaveLength(0);
    api.emit('jobProgress', { job: jobView(3, allArchived(2)), items: [] });
    api.emit('jobProgress', { job: jobView(3, allArchived(2)), items: [] });
    expect(notices.list.map((n) => [n.title, n.body, n.screen])).toEqual([
      ['Sync job 3 (Support): Done', '2 archived of 2 recordings found.', 'sync'],
    ]);
  });

  it('no toast on the screen that shows the work; one for problems stays, a good one leaves', () => {
    vi.useFakeTimers();
    const { api, notices } = setUp('sync');
    api.emit('jobProgress', { job: jobView(4, allArchived(1)), items: [] });
    expect(notices.list).toHaveLength(0);
    api.emit('exportProgress', {
      export: exportView(9, { state: 'done', filesDone: 3 }),
      fraction: 1,
    });
    api.emit('exportProgress', {
      export: exportView(10, { state: 'failed', error: 'The folder is read-only.' }),
      fraction: 0.2,
    });
    expect(notices.list.map((n) => n.title)).toEqual(['Export 9 finished', 'Export 10 failed']);
    vi.advanceTimersByTime(OK_NOTICE_MS + 1);
    expect(notices.list.map((n) => n.title)).toEqual(['Export 10 failed']);
    notices.settle('exports');
    expect(notices.list).toHaveLength(0);
  });

  it('is read out (a live region) and can be followed or dismissed by named buttons', async () => {
    const onshow = vi.fn();
    const ondismiss = vi.fn();
    const { api, notices } = setUp('overview');
    api.emit('verifyFinished', { checked: 5, problems: 0 });
    render(Toasts, { props: { notices: notices.list, onshow, ondismiss } });
    const region = screen.getByRole('status', { name: 'Notifications' });
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.textContent).toContain('Verify finished');
    expect(region.textContent).toContain('All 5 archived files match their SHA-256.');
    await fireEvent.click(screen.getByRole('button', { name: 'Show' }));
    expect(onshow).toHaveBeenCalledWith(expect.objectContaining({ screen: 'settings' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Dismiss: Verify finished' }));
    expect(ondismiss).toHaveBeenCalledWith(expect.objectContaining({ title: 'Verify finished' }));
  });
});
