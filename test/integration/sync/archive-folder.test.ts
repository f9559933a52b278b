import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../main/core/app-error.ts';
import { archiveMatchesIndex } from '../../../main/core/contract/verification.ts';
import { verifyArchive } from '../../../main/core/integrity/verify-archive.ts';
import { tempDir } from '../../support/tmp.ts';
import { archivedKallglotSession, type ArchivedSession } from '../../support/engine.ts';

let session: ArchivedSession | null = null;
afterEach(async () => {
  await session?.close();
  session = null;
});

function hashes(root: string): Map<string, string> {
  return new Map(
    fs
      .readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => fs.statSync(path.join(root, f)).isFile())
      .map((f) => [
        f,
        createHash('sha256')
          .update(fs.readFileSync(path.join(root, f)))
          .digest('hex'),
      ]),
  );
}

describe('the archive folder', () => {
  it('moves to an empty folder byte for byte, and the index follows', async () => {
    session = await archivedKallglotSession('sess_MV');
    const { engine } = session;
    const before = hashes(engine.archiveDir());
    const target = path.join(tempDir(), 'new-archive');
    const moved = await engine.handlers.settingsUpdate({ archiveDir: target });
    expect(moved.archiveDir).toBe(target);
    expect(hashes(target)).toEqual(before);
    expect(fs.existsSync(path.join(engine.paths.dataDir, 'archive'))).toBe(false);
    const { summary } = await verifyArchive(engine.db, engine.archiveDir(), 'user');
    expect(archiveMatchesIndex(summary)).toBe(true);
    expect(summary.ok).toBe(3);
  });

  it('refuses a target that is not empty or lies inside the archive, and moves nothing', async () => {
    session = await archivedKallglotSession('sess_MV2');
    const { engine } = session;
    const busy = tempDir();
    fs.writeFileSync(path.join(busy, 'someone-elses.txt'), 'keep');
    const move = (archiveDir: string) => engine.handlers.settingsUpdate({ archiveDir });
    await expect(move(busy)).rejects.toThrow(/not empty/);
    await expect(move(path.join(engine.archiveDir(), 'sub'))).rejects.toThrow(AppError);
    expect(fs.readdirSync(busy)).toEqual(['someone-elses.txt']);
    expect(hashes(engine.archiveDir()).size).toBeGreaterThan(0);
  });

  it('a vanished archive folder stops the sync with a clear error and recreates nothing', async () => {
    session = await archivedKallglotSession('sess_VA');
    const { engine, fake } = session;
    await fake.addSession({ id: 'sess_VB', recordings: [{ channel: 'agent' }] });
    const root = engine.archiveDir();
    fs.rmSync(root, { recursive: true });
    const job = engine.jobs.start(engine.accounts.list()[0]!.id, {
      sessions: [{ id: 'sess_VB' }],
      recordingIds: [],
      callIds: [],
    });
    const done = await engine.jobs.wait(job.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/archive/i);
    expect(fs.existsSync(root)).toBe(false);
    const row = engine.db
      .prepare(`SELECT state FROM recordings WHERE session_id = 'sess_VB'`)
      .get() as {
      state: string;
    };
    expect(row.state).not.toBe('archived');
  });
});
