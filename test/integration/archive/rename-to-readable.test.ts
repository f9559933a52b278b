// An archive made with the escaped names of earlier versions (rec_5fdemo_5f0001.wav) is renamed
// in place to readable names when the engine opens: files and sidecars together, the index's
// paths with them, each rename audited; verify passes and reindex rebuilds the same index. A
// rename killed (SIGKILL) after any step of a file finishes at the next opening, losing nothing.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { RENAME_STEPS, type RenameStep } from '../../../main/core/archive/rename-to-readable.ts';
import { listAudit } from '../../../main/core/audit/read-audit.ts';
import { verifyAudit } from '../../../main/core/audit/verify-audit.ts';
import type { Engine } from '../../../main/core/engine.ts';
import { verifyArchive } from '../../../main/core/integrity/verify-archive.ts';
import { filesUnder } from '../../support/data-dir.ts';
import { archivedKallglotSession, newDataDir, openTestEngine } from '../../support/engine.ts';
import { request } from '../../support/handlers.ts';
import { toLegacyNames } from '../../support/legacy-names.ts';

const CHILD = path.join(import.meta.dirname, 'rename-child.ts');

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.close();
  engine = null;
});

/** Media files by path, with their SHA-256 (the bytes that must survive). */
function media(archive: string): Map<string, string> {
  return new Map(
    filesUnder(archive)
      .filter((f) => !f.endsWith('.json'))
      .map((f) => [
        f.split(path.sep).join('/'),
        createHash('sha256')
          .update(fs.readFileSync(path.join(archive, f)))
          .digest('hex'),
      ]),
  );
}

function indexRows(e: Engine) {
  return e.db
    .prepare(
      `SELECT remote_id, local_path, sha256, local_size, state, session_id, channel
         FROM recordings ORDER BY remote_id`,
    )
    .all() as { remote_id: string; local_path: string; sha256: string }[];
}

/** A three-recording archive as an older version left it; the readable names it should get. */
async function legacyArchive(sessionId: string) {
  const session = await archivedKallglotSession(sessionId);
  const { dataDir } = session.engine.paths;
  const archive = session.engine.archiveDir();
  const readable = indexRows(session.engine).map((r) => r.local_path);
  await session.close();
  const legacy = toLegacyNames(dataDir);
  return { dataDir, archive, readable, legacy, bytes: [...media(archive).values()].sort() };
}

function renamedEntries(e: Engine): string[] {
  return listAudit(e.db, { limit: 1000 })
    .filter((x) => x.action === 'recording.renamed')
    .map((x) => String(x.details.to));
}

async function expectFinished(e: Engine, readable: string[], bytes: string[], archive: string) {
  const rows = indexRows(e);
  expect(rows.map((r) => r.local_path).sort()).toEqual([...readable].sort());
  const files = media(archive);
  expect([...files.keys()].sort()).toEqual([...readable].sort());
  expect([...files.values()].sort()).toEqual(bytes);
  // Each file has exactly its own sidecar beside it, saying its new name.
  const sidecars = filesUnder(archive)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.split(path.sep).join('/'));
  expect(sidecars.sort()).toEqual(readable.map((r) => `${r}.json`).sort());
  for (const r of readable) {
    const sidecar = JSON.parse(fs.readFileSync(path.join(archive, `${r}.json`), 'utf8')) as {
      file: { relativePath: string };
    };
    expect(sidecar.file.relativePath).toBe(r);
  }
  const { summary } = await verifyArchive(e.db, e.archiveDir(), 'system');
  expect(summary).toMatchObject({ ok: 3, missing: [], altered: [], unindexed: [] });
  expect(verifyAudit(e.db).ok).toBe(true);
  // Each file's rename audited exactly once.
  expect(renamedEntries(e).sort()).toEqual([...readable].sort());
}

function openInChild(
  dataDir: string,
  killAfter: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ['--experimental-transform-types', CHILD, dataDir], {
    env: { PATH: process.env.PATH, RECVAULT_TEST_RENAME_KILL_AFTER: killAfter },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stderr })),
  );
}

describe('readable names for an archive of old names, in place', () => {
  it('renames files and sidecars, updates the index, verify passes, reindex rebuilds it equal', async () => {
    const { dataDir, archive, readable, legacy, bytes } = await legacyArchive('sess_rn_ok');
    expect(legacy.some((p) => /rec_5fdemo|sess_5frn/.test(p) || p.includes('_5f'))).toBe(true);
    expect([...media(archive).keys()].sort()).toEqual([...legacy].sort());

    engine = await openTestEngine({}, { dataDir });
    await expectFinished(engine, readable, bytes, archive);
    expect(readable.every((p) => !p.includes('_5f'))).toBe(true);
    const summary = listAudit(engine.db, { action: 'archive.renamed' });
    expect(summary).toHaveLength(1);
    expect(summary[0]!.details).toMatchObject({ renamed: 3 });
    const migrated = indexRows(engine);
    await engine.close();
    engine = null;

    // Opened again: nothing more to do, nothing audited twice.
    engine = await openTestEngine({}, { dataDir });
    expect(renamedEntries(engine)).toHaveLength(3);
    await engine.close();
    engine = null;

    // A fresh index rebuilt from the renamed archive's files alone is the same index.
    const fresh = newDataDir();
    fs.cpSync(archive, path.join(fresh, 'archive'), { recursive: true });
    engine = await openTestEngine({}, { dataDir: fresh });
    const report = await request(engine, 'reindex', {});
    expect(report).toMatchObject({ sidecars: 3, indexed: 3, problems: [] });
    expect(indexRows(engine)).toEqual(migrated);
  }, 60_000);

  it('a file absent from disk (kept only in the team vault) gets the new name in the index and sidecar', async () => {
    const { dataDir, archive, readable, legacy } = await legacyArchive('sess_rn_gone');
    const absent = legacy[0]!;
    fs.rmSync(path.join(archive, absent));
    engine = await openTestEngine({}, { dataDir });
    const renamedTo = readable.find((r) => !fs.existsSync(path.join(archive, r)))!;
    expect(
      indexRows(engine)
        .map((r) => r.local_path)
        .sort(),
    ).toEqual([...readable].sort());
    expect(fs.existsSync(path.join(archive, `${renamedTo}.json`))).toBe(true);
    expect(fs.existsSync(path.join(archive, `${absent}.json`))).toBe(false);
    const { summary } = await verifyArchive(engine.db, engine.archiveDir(), 'system');
    expect(summary.missing).toEqual([renamedTo]);
  }, 60_000);

  it('a download cut short under the old name is discarded, to restart under the new', async () => {
    const { dataDir, archive, legacy } = await legacyArchive('sess_rn_part');
    // The first recording as if its download had stopped halfway: a .part under the old name.
    const db = new Database(path.join(dataDir, 'index.sqlite'));
    const [first] = legacy;
    db.prepare(
      `UPDATE recordings SET state = 'pending', local_path = NULL, local_size = NULL,
         sha256 = NULL, archived_at = NULL WHERE local_path = ?`,
    ).run(first);
    db.close();
    fs.renameSync(path.join(archive, first!), path.join(archive, `${first}.part`));
    fs.rmSync(path.join(archive, `${first}.json`));
    engine = await openTestEngine({}, { dataDir });
    expect(filesUnder(archive).filter((f) => f.includes('.part'))).toEqual([]);
    expect(indexRows(engine).filter((r) => r.local_path !== null)).toHaveLength(2);
  }, 60_000);

  it('an archive of old names reindexed into a fresh index is renamed right after', async () => {
    const { archive, readable, bytes } = await legacyArchive('sess_rn_restore');
    const fresh = newDataDir();
    const restored = path.join(fresh, 'archive');
    fs.cpSync(archive, restored, { recursive: true });
    engine = await openTestEngine({}, { dataDir: fresh });
    const report = await request(engine, 'reindex', {});
    expect(report).toMatchObject({ sidecars: 3, indexed: 3, problems: [] });
    await expectFinished(engine, readable, bytes, restored);
  }, 60_000);

  it.each(RENAME_STEPS.map((step) => [step]))(
    'killed after "%s" of the second file: reopened, the rename finishes and loses nothing',
    async (step: RenameStep) => {
      const { dataDir, archive, readable, bytes } = await legacyArchive(`sess_rn_${step}`);
      const run = await openInChild(dataDir, `2:${step}`);
      expect(run.signal, run.stderr).toBe('SIGKILL');
      // Halfway: the first file renamed, the rest not (or the second in the middle).
      const halfway = [...media(archive).keys()];
      expect(halfway.filter((p) => readable.includes(p)).length).toBeGreaterThanOrEqual(1);
      expect(halfway.filter((p) => !readable.includes(p)).length).toBeGreaterThanOrEqual(1);

      engine = await openTestEngine({}, { dataDir });
      await expectFinished(engine, readable, bytes, archive);
    },
    60_000,
  );
});
