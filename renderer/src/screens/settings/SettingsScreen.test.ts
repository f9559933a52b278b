import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APP_INFO, createFakeApi, SETTINGS } from '../../test-support/fake-api.ts';
import { createStores } from '../../state/stores.ts';
import { storesContext } from '../../state/context.ts';
import SettingsScreen from './SettingsScreen.svelte';

afterEach(() => {
  vi.useRealTimers();
  cleanup();
});

async function setup(prepare: (api: ReturnType<typeof createFakeApi>) => void = () => {}) {
  const api = createFakeApi();
  prepare(api);
  const stores = createStores(api);
  await stores.settings.load();
  render(SettingsScreen, { props: { info: APP_INFO }, context: storesContext(stores) });
  return { api, stores };
}

async function moveTo(folder: string): Promise<void> {
  await fireEvent.input(screen.getByLabelText('Folder'), { target: { value: folder } });
  await fireEvent.click(screen.getByRole('button', { name: 'Move archive here' }));
  await fireEvent.click(screen.getByRole('button', { name: 'Move archive' }));
}

describe('Settings: the archive move', () => {
  it('“Archive location saved.” goes when the folder is typed again, and by itself after a moment', async () => {
    const { api } = await setup();
    api.settingsUpdate.mockResolvedValue({ ok: true, value: { ...SETTINGS, archiveDir: '/new' } });
    await moveTo('/new');
    await screen.findByText('Archive location saved.');
    await fireEvent.input(screen.getByLabelText('Folder'), { target: { value: '/other' } });
    expect(screen.queryByText('Archive location saved.')).toBeNull();

    api.settingsUpdate.mockResolvedValue({
      ok: true,
      value: { ...SETTINGS, archiveDir: '/other' },
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await fireEvent.click(screen.getByRole('button', { name: 'Move archive here' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Move archive' }));
    await vi.waitFor(() => expect(screen.getByText('Archive location saved.')).toBeTruthy());
    vi.advanceTimersByTime(2000);
    await Promise.resolve();
    expect(screen.getByText('Archive location saved.')).toBeTruthy();
    vi.advanceTimersByTime(4000);
    await vi.waitFor(() => expect(screen.queryByText('Archive location saved.')).toBeNull());
  });

  it('a problem stays until it is fixed', async () => {
    const { api } = await setup();
    api.settingsUpdate.mockResolvedValue({
      ok: false,
      code: 'conflict',
      message: 'The folder /ro cannot be written to.',
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await moveTo('/ro');
    await vi.waitFor(() => expect(screen.getByText(/cannot be written to/)).toBeTruthy());
    vi.advanceTimersByTime(60_000);
    await Promise.resolve();
    expect(screen.getByText(/cannot be written to/)).toBeTruthy();
  });

  it('after “Move archive” focus waits on the move’s progress, not on the disabled button', async () => {
    let finish: (value: unknown) => void = () => {};
    const { api } = await setup();
    api.settingsUpdate.mockImplementation(
      () => new Promise((resolve) => (finish = resolve)) as never,
    );
    await moveTo('/new');
    const progress = await screen.findByRole('group', { name: 'Archive move' });
    await waitFor(() => expect(document.activeElement).toBe(progress));
    expect(screen.getByRole('button', { name: 'Moving…' }).hasAttribute('disabled')).toBe(true);
    // A refused move leaves the button usable: focus goes back to it to try again.
    finish({ ok: false, code: 'conflict', message: 'The folder /new cannot be written to.' });
    const button = await screen.findByRole('button', { name: 'Move archive here' });
    await waitFor(() => expect(document.activeElement).toBe(button));
  });
});
