import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Component } from 'svelte';

// The API is picked once at start-up, as in the app: install the fake preload API first.
const appInfo = vi.fn();
let App: Component;

beforeAll(async () => {
  window.recvault = { appInfo, onJobProgress: () => () => {} } as never;
  App = (await import('./App.svelte')).default;
});

afterEach(() => {
  cleanup();
  appInfo.mockReset();
});

describe('App', () => {
  it('shows the version and archive location the engine reports', async () => {
    appInfo.mockResolvedValue({
      ok: true,
      value: {
        name: 'Recvault',
        version: '9.8.7',
        dataDir: '/d',
        archiveDir: '/d/archive',
        transport: 'electron',
        nativeDialogs: true,
      },
    });
    render(App);
    expect((await screen.findByTestId('app-version')).textContent).toBe('9.8.7');
    expect(screen.getByTestId('archive-dir').textContent).toBe('/d/archive');
  });

  it('shows the error the engine reports', async () => {
    appInfo.mockResolvedValue({
      ok: false,
      code: 'storage',
      message: 'Archive folder is missing.',
    });
    render(App);
    expect((await screen.findByRole('alert')).textContent).toBe('Archive folder is missing.');
  });
});
