// Moving the archive, killed (SIGKILL) after each of its steps and reopened: the archive in use
// is always complete (every file byte-exact, verify passes), the other copy is gone, and the
// move is audited once exactly when it took effect.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../../main/core/audit/verify-audit.ts';
import { listAudit } from '../../../main/core/audit/read-audit.ts';
import type { Engine } from '../../../main/core/engine.ts';
import { verifyArchive } from '../../../main/core/integrity/verify-archive.ts';
import { MOVE_STEPS, type MoveStep } from '../../../main/core/settings/move-journal.ts';
import { archivedKallglotSession, openTestEngine } from '../../support/engine.ts';
import { tempDir } from '../../support/tmp.ts';

const CHILD = path.join(import.meta.dirname, 'move-child.ts');
const SWITCHED: readonly MoveStep[] = ['switched', 'audited', 'deleted'];

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.close();
  engine = null;
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

function moveInChild(
  dataDir: string,
  target: string,
  killAfter: MoveStep | null,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  // transform-types: the engine's imports may use syntax plain type stripping refuses.
  const child = spawn(
    process.execPath,
    ['--experimental-transform-types', CHILD, dataDir, target],
    {
      env: {
        PATH: process.env.PATH,
        ...(killAfter ? { RECVAULT_TEST_MOVE_KILL_AFTER: killAfter } : {}),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stderr })),
  );
}

function movedEntries(e: Engine): number {
  return listAudit(e.db, { limit: 1000 }).filter((x) => x.action === 'archive.moved').length;
}

describe('moving the archive, killed after each step', () => {
  it.each(MOVE_STEPS.map((step) => [step]))(
    'killed after "%s": reopened, one complete archive is in use',
    async (step) => {
      const session = await archivedKallglotSession(`sess_mv_${step}`);
      const { dataDir } = session.engine.paths;
      const from = session.engine.archiveDir();
      const before = hashes(from);
      await session.close();
      const to = path.join(fs.realpathSync(tempDir()), 'moved-archive');

      const run = await moveInChild(dataDir, to, step);
      expect(run.signal, run.stderr).toBe('SIGKILL');

      engine = await openTestEngine({}, { dataDir });
      const switched = SWITCHED.includes(step);
      const inUse = switched ? to : from;
      const other = switched ? from : to;
      expect(engine.archiveDir()).toBe(inUse);
      expect(hashes(inUse)).toEqual(before);
      expect(fs.existsSync(other)).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'archive-move.json'))).toBe(false);
      const { summary } = await verifyArchive(engine.db, engine.archiveDir(), 'user');
      expect(summary).toMatchObject({ ok: 3, missing: [], altered: [], unindexed: [] });
      expect(movedEntries(engine)).toBe(switched ? 1 : 0);
      expect(verifyAudit(engine.db).ok).toBe(true);
    },
    60_000,
  );

  it('not killed: moves, audited once', async () => {
    const session = await archivedKallglotSession('sess_mv_ok');
    const { dataDir } = session.engine.paths;
    const before = hashes(session.engine.archiveDir());
    await session.close();
    const to = path.join(fs.realpathSync(tempDir()), 'moved-archive');
    const run = await moveInChild(dataDir, to, null);
    expect(run.code, run.stderr).toBe(0);
    engine = await openTestEngine({}, { dataDir });
    expect(engine.archiveDir()).toBe(to);
    expect(hashes(to)).toEqual(before);
    expect(movedEntries(engine)).toBe(1);
  }, 60_000);
});
