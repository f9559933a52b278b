// Where an export or the archive may go, whatever the renderer or a script names: absolute
// paths, a zip named .zip, never into the data folder or the archive (symlinks followed), and
// in the desktop app only what its native pickers returned.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { archivedKallglotSession, type ArchivedSession } from '../../support/engine.ts';
import { openAppEngine, request } from '../../support/handlers.ts';
import { tempDir } from '../../support/tmp.ts';

let session: ArchivedSession | null = null;
let appEngine: Engine | null = null;
afterEach(async () => {
  await session?.close();
  await appEngine?.close();
  session = appEngine = null;
});

const OPTIONS = { format: 'original' } as const;

function exportTo(engine: Engine, ids: number[], kind: 'folder' | 'zip', to: string) {
  return request(engine, 'exportStart', {
    recordingIds: ids,
    destination: { kind, path: to },
    options: OPTIONS,
  });
}

/** Every file under `dir`, relative. */
function filesUnder(dir: string): string[] {
  return fs.existsSync(dir)
    ? (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    : [];
}

describe('export destinations', () => {
  it('refuse relative paths, a zip not named .zip, the archive, the data and cache folders, and a symlink into the archive', async () => {
    session = await archivedKallglotSession('sess_dest');
    const { engine, ids } = session;
    const info = await request(engine, 'appInfo', {});
    const archiveBefore = filesUnder(info.archiveDir).sort();
    const outside = tempDir('recvault-dest-');
    const link = path.join(outside, 'looks-elsewhere');
    fs.symlinkSync(info.archiveDir, link);

    const refused: [kind: 'folder' | 'zip', to: string][] = [
      ['folder', 'relative/out'],
      ['zip', 'export.zip'],
      ['zip', path.join(outside, 'export.tar')],
      ['zip', path.join(outside, 'export')],
      ['folder', info.archiveDir],
      ['folder', path.join(info.archiveDir, 'kallglot', 'new-folder')],
      ['zip', path.join(info.archiveDir, 'x.zip')],
      ['folder', info.dataDir],
      ['folder', path.join(info.dataDir, 'cache', 'out')],
      ['folder', path.join(link, 'out')],
      ['zip', path.join(link, 'deeper', 'x.zip')],
    ];
    for (const [kind, to] of refused) {
      await expect(exportTo(engine, ids, kind, to), `${kind} ${to}`).rejects.toMatchObject({
        code: 'invalid_arguments',
      });
    }
    // Nothing was written anywhere, and no export was recorded.
    expect(filesUnder(info.archiveDir).sort()).toEqual(archiveBefore);
    expect(fs.readdirSync(outside)).toEqual(['looks-elsewhere']);
    expect(await request(engine, 'exportsList', {})).toEqual([]);

    // An absolute path elsewhere is an export, zip or folder.
    const zip = path.join(outside, 'calls.ZIP');
    const started = await exportTo(engine, ids, 'zip', zip);
    await request(engine, 'exportWait', { exportId: started.id });
    expect(fs.statSync(zip).size).toBeGreaterThan(0);
  });
});

describe('moving the archive', () => {
  it('refuses a symlink into the archive, the data folder and a relative path; nothing is copied', async () => {
    session = await archivedKallglotSession('sess_move');
    const { engine } = session;
    const info = await request(engine, 'appInfo', {});
    const before = filesUnder(info.archiveDir).sort();
    const outside = tempDir('recvault-move-');
    const link = path.join(outside, 'new-archive');
    fs.mkdirSync(path.join(info.archiveDir, 'empty-inside'));
    fs.symlinkSync(path.join(info.archiveDir, 'empty-inside'), link);
    for (const to of [
      link,
      path.join(link, 'below'),
      info.dataDir,
      path.join(info.dataDir, 'cache'),
      'relative/archive',
      path.dirname(info.archiveDir),
    ]) {
      await expect(request(engine, 'settingsUpdate', { archiveDir: to }), to).rejects.toMatchObject(
        { code: 'invalid_arguments' },
      );
    }
    expect((await request(engine, 'settingsGet', {})).archiveDir).toBe(info.archiveDir);
    expect(filesUnder(info.archiveDir).sort()).toEqual(before);
    // The unchanged folder, sent back by the settings form, is no move and no refusal.
    await request(engine, 'settingsUpdate', { archiveDir: info.archiveDir, concurrency: 2 });
  });
});

describe('in the desktop app', () => {
  it('a destination is one the native picker returned, exactly; a typed one is refused', async () => {
    const outside = tempDir('recvault-picked-');
    const pickedFolder = path.join(outside, 'picked');
    const pickedZip = path.join(outside, 'picked.zip');
    appEngine = await openAppEngine(
      {},
      {
        platform: {
          pickDirectory: async () => pickedFolder,
          pickSaveFile: async () => pickedZip,
        },
      },
    );
    const typed = path.join(outside, 'typed');
    await expect(exportTo(appEngine, [], 'folder', typed)).rejects.toMatchObject({
      code: 'invalid_arguments',
      message: expect.stringMatching(/dialog/),
    });
    await expect(request(appEngine, 'settingsUpdate', { archiveDir: typed })).rejects.toMatchObject(
      { code: 'invalid_arguments', message: expect.stringMatching(/dialog/) },
    );
    // Before the picker ran, its path is as good as typed.
    await expect(exportTo(appEngine, [], 'zip', pickedZip)).rejects.toMatchObject({
      message: expect.stringMatching(/dialog/),
    });
    expect(await request(appEngine, 'pickSaveFile', {})).toEqual({ path: pickedZip });
    expect(await request(appEngine, 'pickDirectory', {})).toEqual({ path: pickedFolder });
    // A folder chosen with the folder picker is not a zip name, nor the other way round.
    await expect(exportTo(appEngine, [], 'zip', pickedFolder)).rejects.toMatchObject({
      message: expect.stringMatching(/dialog/),
    });
    await expect(
      exportTo(appEngine, [], 'folder', `${pickedFolder}${path.sep}`),
    ).rejects.toMatchObject({ message: expect.stringMatching(/dialog/) });
    // The picked paths pass (this engine has nothing archived to export into them).
    for (const [kind, to] of [
      ['zip', pickedZip],
      ['folder', pickedFolder],
    ] as const) {
      await expect(exportTo(appEngine, [], kind, to)).rejects.toMatchObject({
        message: expect.stringMatching(/Nothing selected/),
      });
    }
  });
});
