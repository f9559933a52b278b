import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeApi, SETTINGS } from '../../test-support/fake-api.ts';
import { createStores } from '../../state/stores.ts';
import { storesContext } from '../../state/context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { setDisplayTimeZone } from '../../lib/time-zone.svelte.ts';
import TimeZoneSetting from './TimeZoneSetting.svelte';

afterEach(() => {
  cleanup();
  setDisplayTimeZone(null);
});

describe('TimeZoneSetting', () => {
  it('saves the zone picked, and every date then shows in it', async () => {
    const api = createFakeApi();
    api.settingsUpdate.mockResolvedValue({
      ok: true,
      value: { ...SETTINGS, timeZone: 'Asia/Tokyo' },
    });
    const stores = createStores(api);
    await stores.settings.load();
    render(TimeZoneSetting, { context: storesContext(stores) });
    await fireEvent.change(screen.getByLabelText('Time zone'), {
      target: { value: 'Asia/Tokyo' },
    });
    expect(api.settingsUpdate).toHaveBeenCalledWith({ timeZone: 'Asia/Tokyo' });
    expect(await screen.findByText('Time zone saved.')).toBeTruthy();
    expect(formatDateTime('2026-03-01T14:05:00Z')).toBe('2026-03-01 23:05 GMT+9');
    expect(screen.getByTestId('time-zone-example').textContent).toMatch(/GMT\+9$/);
  });

  it("goes back to the system's zone with null", async () => {
    const api = createFakeApi();
    api.settingsGet.mockResolvedValue({ ok: true, value: { ...SETTINGS, timeZone: 'Asia/Tokyo' } });
    const stores = createStores(api);
    await stores.settings.load();
    render(TimeZoneSetting, { context: storesContext(stores) });
    const select = screen.getByLabelText('Time zone') as HTMLSelectElement;
    expect(select.value).toBe('Asia/Tokyo');
    await fireEvent.change(select, { target: { value: '' } });
    expect(api.settingsUpdate).toHaveBeenCalledWith({ timeZone: null });
  });
});
