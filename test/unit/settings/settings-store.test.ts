// settings.json: an archive folder saved relative (by an older version, or by hand) is read
// against the data directory, so the app and the CLI, started in different working folders,
// open the same archive.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore } from '../../../main/core/settings/settings-store.ts';
import { LIBRARY_COLUMNS_DEFAULT } from '../../../main/core/contract/vocabulary.ts';
import { tempDir } from '../../support/tmp.ts';

describe('settings store', () => {
  it('reads a relative archive folder against the data directory, not the working folder', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ archiveDir: 'calls' }));
    const store = new SettingsStore(dataDir, path.join(dataDir, 'archive'));
    expect(store.archiveDir).toBe(path.join(dataDir, 'calls'));
    expect(store.view().archiveDir).toBe(path.join(dataDir, 'calls'));
  });

  it('keeps the time zone and the library columns across a restart, and drops unknown ones', () => {
    const dataDir = tempDir();
    const archive = path.join(dataDir, 'archive');
    const store = new SettingsStore(dataDir, archive);
    expect(store.view()).toMatchObject({
      timeZone: null,
      libraryColumns: LIBRARY_COLUMNS_DEFAULT,
    });
    store.update({
      timeZone: 'Asia/Tokyo',
      libraryColumns: { widths: { session: 260 }, hidden: ['format'] },
    });
    expect(new SettingsStore(dataDir, archive).view()).toMatchObject({
      timeZone: 'Asia/Tokyo',
      libraryColumns: { widths: { session: 260 }, hidden: ['format'] },
    });
    // A file edited by hand (or from another version) loses only what this one cannot read.
    fs.writeFileSync(
      path.join(dataDir, 'settings.json'),
      JSON.stringify({
        timeZone: 'Mars/Olympus',
        libraryColumns: { hidden: ['nope'] },
        theme: 'dark',
      }),
    );
    expect(new SettingsStore(dataDir, archive).view()).toMatchObject({
      timeZone: null,
      libraryColumns: LIBRARY_COLUMNS_DEFAULT,
      theme: 'dark',
    });
  });
});
