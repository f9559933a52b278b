import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeApi, SETTINGS } from '../../test-support/fake-api.ts';
import { exportOptionsSchema } from '../../../../main/core/contract/export-options.ts';
import { createStores } from '../../state/stores.ts';
import { storesContext } from '../../state/context.ts';
import ExportDialog from './ExportDialog.svelte';

afterEach(cleanup);

function setup(prepare: (api: ReturnType<typeof createFakeApi>) => void = () => {}) {
  const api = createFakeApi();
  prepare(api);
  const stores = createStores(api);
  stores.exports.connect();
  const closed: boolean[] = [];
  render(ExportDialog, {
    props: { selection: { ids: [1, 2] }, count: 2, onclose: () => closed.push(true) },
    context: storesContext(stores),
  });
  return { api, stores };
}

describe('ExportDialog', () => {
  it('refuses to start until the fields are valid, and says which', async () => {
    const { api } = setup();
    await fireEvent.change(screen.getByLabelText('Format'), { target: { value: 'mp3' } });
    await fireEvent.input(screen.getByLabelText('MP3 bitrate (kbit/s)'), {
      target: { value: '999' },
    });
    await fireEvent.click(screen.getByRole('radio', { name: 'One .zip file' }));
    await fireEvent.input(screen.getByLabelText('Zip file path'), {
      target: { value: '/tmp/out' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(api.exportStart).not.toHaveBeenCalled();
    expect(screen.getByText('The MP3 bitrate must be between 32 and 320 kbit/s.')).toBeTruthy();
    expect(screen.getByText('The file name must end in .zip.')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Check the highlighted fields.');
  });

  it('offers a typed path (no picker) without native dialogs, then shows live progress', async () => {
    const { api } = setup();
    expect(screen.queryByRole('button', { name: 'Choose…' })).toBeNull();
    api.exportStart.mockResolvedValue({
      ok: true,
      value: {
        id: 9,
        state: 'running',
        destination: '/out',
        createdAt: '2025-01-01T00:00:00Z',
        filesDone: 0,
        filesTotal: 2,
        failures: [],
        revealPath: null,
      },
    });
    await fireEvent.change(screen.getByLabelText('Format'), { target: { value: 'mp3' } });
    await fireEvent.input(screen.getByLabelText('Export folder'), { target: { value: '/out' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(api.exportStart.mock.calls[0]![0]).toMatchObject({
      recordingIds: [1, 2],
      destination: { kind: 'folder', path: '/out' },
      options: { format: 'mp3' },
    });
    expect(await screen.findByText('0 of 2 files…')).toBeTruthy();
    api.emit('exportProgress', {
      export: {
        id: 9,
        state: 'done',
        destination: '/out',
        createdAt: '2025-01-01T00:00:00Z',
        filesDone: 1,
        filesTotal: 2,
        failures: [{ recordingId: 2, reason: 'ffmpeg: Invalid data found' }],
        revealPath: '/out',
      },
      fraction: 1,
    });
    expect((await screen.findByTestId('export-summary')).textContent).toContain(
      '2 recordings → 1 file exported, 1 failed.',
    );
    expect(screen.getByText('Recording 2: ffmpeg: Invalid data found')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Show in folder' }));
    expect(api.showInFolder).toHaveBeenCalledWith({ exportId: 9 });
  });

  it('packages a zip for legal (BagIt) by default, a folder as plain files, either way by choice', async () => {
    const { api } = setup();
    api.exportStart.mockResolvedValue({ ok: false, code: 'conflict', message: 'stop here' });
    const bag = () => screen.getByLabelText('Package for legal (BagIt)') as HTMLInputElement;
    expect(bag().checked).toBe(false);
    await fireEvent.click(screen.getByRole('radio', { name: 'One .zip file' }));
    expect(bag().checked).toBe(true);
    await fireEvent.input(screen.getByLabelText('Your organization (named in the bag)'), {
      target: { value: 'Acme Compliance' },
    });
    await fireEvent.input(screen.getByLabelText('Zip file path'), {
      target: { value: '/tmp/legal.zip' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(api.exportStart.mock.calls[0]![0]).toMatchObject({
      destination: { kind: 'zip', path: '/tmp/legal.zip' },
      options: { package: 'bag', organization: 'Acme Compliance' },
    });
    await fireEvent.click(bag());
    await fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(api.exportStart.mock.calls[1]![0]).toMatchObject({ options: { package: 'files' } });
    await fireEvent.click(screen.getByRole('radio', { name: 'A folder' }));
    expect(bag().checked).toBe(false);
  });

  it("asks for a DAT load file with the user's control numbers, and sets up the regulator profile", async () => {
    const { api } = setup();
    api.exportStart.mockResolvedValue({ ok: false, code: 'conflict', message: 'stop here' });
    await fireEvent.click(screen.getByLabelText('Concordance / Relativity DAT load file'));
    await fireEvent.input(screen.getByLabelText('Control number prefix'), {
      target: { value: 'ACME-' },
    });
    await fireEvent.input(screen.getByLabelText('First number'), { target: { value: '41' } });
    await fireEvent.change(screen.getByLabelText('DAT encoding'), {
      target: { value: 'utf-16le' },
    });
    expect(screen.getByTestId('export-production').textContent).toContain('ACME-00000041');
    await fireEvent.input(screen.getByLabelText('Export folder'), { target: { value: '/out' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(api.exportStart.mock.calls[0]![0]).toMatchObject({
      options: {
        loadFiles: ['dat'],
        controlPrefix: 'ACME-',
        controlStart: 41,
        datEncoding: 'utf-16le',
      },
    });

    await fireEvent.change(screen.getByLabelText('Profile'), { target: { value: 'sec-audio' } });
    expect((screen.getByRole('radio', { name: 'One .zip file' }) as HTMLInputElement).checked).toBe(
      true,
    );
    expect((screen.getByLabelText('Format') as HTMLSelectElement).value).toBe('mp3');
    await fireEvent.input(screen.getByLabelText('Zip file path'), {
      target: { value: '/out/for-the-regulator.zip' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(api.exportStart.mock.calls[1]![0]).toMatchObject({
      destination: { kind: 'zip' },
      options: { profile: 'sec-audio', package: 'bag', format: 'mp3' },
    });
  });

  it('opens with the last export’s destination and options, and says what they will make', async () => {
    const last = {
      destination: { kind: 'zip' as const, path: '/cases/7/for-legal.zip' },
      options: exportOptionsSchema.parse({ format: 'wav', channels: 'split', package: 'files' }),
    };
    const { api } = setup((fake) => {
      fake.settingsGet.mockResolvedValue({ ok: true, value: { ...SETTINGS, lastExport: last } });
      fake.exportPlan.mockResolvedValue({
        ok: true,
        value: {
          selected: 2,
          archived: 2,
          notArchived: 0,
          files: 3,
          split: 1,
          byExtension: { wav: 3 },
          sampleNames: [],
        },
      });
    });
    expect((await screen.findByTestId('export-plan-headline')).textContent).toBe(
      '2 recordings → 3 files',
    );
    expect(api.exportPlan.mock.calls.at(-1)![0]).toMatchObject({
      recordingIds: [1, 2],
      options: { format: 'wav', channels: 'split' },
    });
    expect((screen.getByLabelText('Format') as HTMLSelectElement).value).toBe('wav');
    expect((screen.getByLabelText('Zip file path') as HTMLInputElement).value).toBe(
      '/cases/7/for-legal.zip',
    );
    // Remembered as plain files: opening on a zip does not tick BagIt again.
    expect((screen.getByLabelText('Package for legal (BagIt)') as HTMLInputElement).checked).toBe(
      false,
    );
  });
});
