import { describe, expect, it } from 'vitest';
import { exportOptionsSchema } from '../../../main/core/contract/export-options.ts';
import { ExportForm, defaultExportOptions, validate } from './export-form.svelte.ts';

describe('export form validation', () => {
  it('needs a destination, and a .zip name for a zip', () => {
    const options = defaultExportOptions();
    expect(validate(options, 'folder', ' ').path).toBe('Choose a folder.');
    expect(validate(options, 'zip', '/tmp/out.tar').path).toBe('The file name must end in .zip.');
    expect(validate(options, 'zip', '/tmp/out.zip')).toEqual({});
  });

  it('checks bitrate, template and time zone in words', () => {
    const options = {
      ...defaultExportOptions(),
      format: 'mp3' as const,
      bitrateKbps: 999,
      fileNameTemplate: 'same-name',
      timeZone: 'Mars/Olympus',
    };
    const errors = validate(options, 'folder', '/out');
    expect(errors.bitrateKbps).toBe('The MP3 bitrate must be between 32 and 320 kbit/s.');
    expect(errors.fileNameTemplate).toMatch(/token/);
    expect(errors.timeZone).toBe('Unknown time zone "Mars/Olympus".');
  });

  it('builds an exportStart request for ids or for the whole query', () => {
    const form = new ExportForm();
    form.path = ' /out ';
    form.options.format = 'mp3';
    expect(form.valid).toBe(true);
    const byIds = form.request({ ids: [1, 2] });
    expect(byIds).toMatchObject({
      recordingIds: [1, 2],
      destination: { kind: 'folder', path: '/out' },
      options: { format: 'mp3', bitrateKbps: 128 },
    });
    const query = { text: 'x' } as never;
    expect(form.request({ query })).toMatchObject({ recordingIds: [], query });
  });

  it('takes the last export as its defaults, with the user’s time zone when they chose one', () => {
    const form = new ExportForm();
    form.applyDefaults(null, 'Europe/Stockholm');
    expect(form.options.timeZone).toBe('Europe/Stockholm');
    const last = {
      destination: { kind: 'zip' as const, path: '/out/a.zip' },
      options: exportOptionsSchema.parse({ format: 'mp3', bitrateKbps: 64, channels: 'split' }),
    };
    form.applyDefaults(last);
    expect(form.request({ ids: [1] })).toMatchObject({
      destination: { kind: 'zip', path: '/out/a.zip' },
      options: { format: 'mp3', bitrateKbps: 64, channels: 'split', timeZone: 'UTC' },
    });
    form.applyDefaults(last, 'America/New_York');
    expect(form.request({ ids: [1] }).options).toMatchObject({ timeZone: 'America/New_York' });
  });

  it('follows the system’s zone when the user chose none and there is no last export', () => {
    const first = new ExportForm();
    first.applyDefaults(null, null, 'Asia/Tokyo');
    expect(first.options.timeZone).toBe('Asia/Tokyo');
    const last = {
      destination: { kind: 'folder' as const, path: '/out' },
      options: exportOptionsSchema.parse({ format: 'wav', timeZone: 'Europe/Paris' }),
    };
    const again = new ExportForm();
    again.applyDefaults(last, null, 'Asia/Tokyo');
    expect(again.options.timeZone).toBe('Europe/Paris');
  });
});
