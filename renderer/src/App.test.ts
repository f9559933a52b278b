import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Component } from 'svelte';
import { APP_INFO, createFakeApi, SETTINGS, type FakeApi } from './test-support/fake-api.ts';
import { fail } from '../../main/core/contract/result.ts';

// The API is picked once at start-up, as in the app: install the fake preload API first.
const api: FakeApi = createFakeApi();
let App: Component;

beforeAll(async () => {
  window.recvault = api;
  App = (await import('./App.svelte')).default;
});

afterEach(() => {
  cleanup();
  delete document.documentElement.dataset.theme;
});

describe('App', () => {
  it('shows the version and archive location the engine reports', async () => {
    render(App);
    expect((await screen.findByTestId('app-version')).textContent).toBe('9.8.7');
    expect(screen.getByTestId('archive-dir').textContent).toBe('/d/archive');
  });

  it('shows a long archive path cut in the middle: its end in sight, whole in title and to readers', async () => {
    const archiveDir = '/Users/compliance.officer/Documents/Legal/Recvault Archive';
    api.appInfo.mockResolvedValueOnce({ ok: true, value: { ...APP_INFO, archiveDir } });
    render(App);
    const shown = await screen.findByTestId('archive-dir');
    expect(shown.getAttribute('title')).toBe(archiveDir);
    const cut = shown.querySelector('[aria-hidden="true"]')!.textContent!;
    expect(cut).toMatch(/^\/Users\/[^…]*…[^…]*\/Recvault Archive$/);
    expect([...cut].length).toBeLessThanOrEqual(36);
    expect(shown.querySelector('.visually-hidden')!.textContent).toBe(archiveDir);
  });

  it('shows the error the engine reports, and nothing else, until it answers', async () => {
    api.appInfo.mockResolvedValueOnce(fail('storage', 'Archive folder is missing.'));
    render(App);
    expect((await screen.findByRole('alert')).textContent).toBe('Archive folder is missing.');
    expect(screen.queryByRole('navigation')).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('app-version')).toBeTruthy();
  });

  it('navigates between the screens and marks the current one', async () => {
    render(App);
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    // The overview is the app's home.
    expect(nav.querySelector('[aria-current="page"]')?.textContent?.trim()).toBe('Overview');
    expect(await screen.findByRole('heading', { level: 1, name: 'Overview' })).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Accounts' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Accounts' })).toBeTruthy();
    expect(await screen.findByText('No accounts yet')).toBeTruthy();
  });

  it('applies the theme setting to <html>', async () => {
    api.settingsGet.mockResolvedValueOnce({
      ok: true,
      value: { ...SETTINGS, concurrency: 2, theme: 'dark' },
    });
    render(App);
    await screen.findByTestId('app-version');
    await vi_waitFor(() => document.documentElement.dataset.theme === 'dark');
  });

  it('"/" focuses the library search', async () => {
    render(App);
    await screen.findByTestId('app-version');
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    await fireEvent.keyDown(document.body, { key: '/' });
    await vi_waitFor(() => document.activeElement?.id === 'library-search');
  });
});

async function vi_waitFor(check: () => boolean): Promise<void> {
  const { waitFor } = await import('@testing-library/svelte');
  await waitFor(() => expect(check()).toBe(true));
}
