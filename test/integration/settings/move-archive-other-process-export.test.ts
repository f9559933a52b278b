// An export in another process (a `recvault export` beside the app) reads the archive a move
// would delete: the move is refused while it runs, and an export is refused while a move runs
// elsewhere; once the other process is gone, both work.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { archivedKallglotSession, type ArchivedSession } from '../../support/engine.ts';
import { request } from '../../support/handlers.ts';
import { tempDir } from '../../support/tmp.ts';

const CHILD = path.join(import.meta.dirname, '../../support/readers-lock-child.ts');

let session: ArchivedSession | null = null;
let child: ChildProcess | null = null;
afterEach(async () => {
  child?.kill('SIGKILL');
  child = null;
  await session?.close();
  session = null;
});

/** Starts the other process and waits until it holds the lock. */
async function otherProcess(dataDir: string, mode: 'read' | 'move'): Promise<ChildProcess> {
  const started = spawn(process.execPath, [CHILD, dataDir, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    started.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
    started.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('held')) resolve();
    });
  });
  return started;
}

async function gone(process: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => process.once('exit', resolve));
  process.kill('SIGKILL');
  await exited;
}

describe('an export in another process and an archive move', () => {
  it('refuses the move while the other process exports; nothing is copied', async () => {
    session = await archivedKallglotSession('sess_mv_other_export');
    const { engine } = session;
    child = await otherProcess(engine.paths.dataDir, 'read');
    const to = path.join(tempDir(), 'moved');
    await expect(engine.handlers.settingsUpdate({ archiveDir: to })).rejects.toThrow(
      /An export is running from the archive/,
    );
    expect(fs.existsSync(to)).toBe(false);
    expect(fs.readdirSync(engine.archiveDir()).length).toBeGreaterThan(0);

    await gone(child);
    child = null;
    await engine.handlers.settingsUpdate({ archiveDir: to });
    expect(engine.archiveDir()).toBe(fs.realpathSync(to));
  });

  it('refuses an export while the other process moves the archive; nothing is recorded', async () => {
    session = await archivedKallglotSession('sess_export_other_move');
    const { engine } = session;
    child = await otherProcess(engine.paths.dataDir, 'move');
    const before = await request(engine, 'exportsList', {});
    const out = path.join(tempDir(), 'export');
    const attempt = request(engine, 'exportStart', {
      recordingIds: session.ids,
      destination: { kind: 'folder', path: out },
      options: {},
    } as Parameters<typeof request<'exportStart'>>[2]);
    await expect(attempt).rejects.toThrow(/The archive is being moved/);
    expect(await request(engine, 'exportsList', {})).toEqual(before);
    expect(fs.existsSync(out)).toBe(false);

    await gone(child);
    child = null;
    const started = await request(engine, 'exportStart', {
      recordingIds: session.ids,
      destination: { kind: 'folder', path: out },
      options: {},
    } as Parameters<typeof request<'exportStart'>>[2]);
    await engine.exports.wait(started.id);
    expect(fs.readdirSync(out).length).toBeGreaterThan(0);
  });
});
