// Moving the archive reports how far it has come (archiveMoveProgress): from nothing to every
// file and byte of the old archive, never going back and never past its total.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FilesProgress } from '../../../main/core/contract/events.ts';
import { archivedKallglotSession, type ArchivedSession } from '../../support/engine.ts';
import { tempDir } from '../../support/tmp.ts';

let session: ArchivedSession | null = null;
afterEach(async () => {
  await session?.close();
  session = null;
});

function filesAndBytes(root: string): { files: number; bytes: number } {
  const files = fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((f) => fs.statSync(path.join(root, f)))
    .filter((stat) => stat.isFile());
  return { files: files.length, bytes: files.reduce((sum, stat) => sum + stat.size, 0) };
}

describe('moving the archive', () => {
  it('emits progress from 0 to every file and byte of the old archive', async () => {
    session = await archivedKallglotSession('sess_mv_progress');
    const { engine } = session;
    const before = filesAndBytes(engine.archiveDir());
    expect(before.files).toBeGreaterThan(1);
    const seen: FilesProgress[] = [];
    const stop = engine.events.subscribe((channel, payload) => {
      if (channel === 'archiveMoveProgress') seen.push(payload as FilesProgress);
    });
    const to = path.join(tempDir(), 'moved-archive');
    await engine.handlers.settingsUpdate({ archiveDir: to });
    stop();

    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[0]).toEqual({
      filesDone: 0,
      filesTotal: before.files,
      bytesDone: 0,
      bytesTotal: before.bytes,
    });
    expect(seen.at(-1)).toEqual({
      filesDone: before.files,
      filesTotal: before.files,
      bytesDone: before.bytes,
      bytesTotal: before.bytes,
    });
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.filesDone).toBeGreaterThanOrEqual(seen[i - 1]!.filesDone);
      expect(seen[i]!.bytesDone).toBeGreaterThanOrEqual(seen[i - 1]!.bytesDone);
      expect(seen[i]!.bytesDone).toBeLessThanOrEqual(seen[i]!.bytesTotal);
    }
  });
});
