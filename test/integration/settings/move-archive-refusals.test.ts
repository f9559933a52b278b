// What a move refuses before it touches anything, and where it saves the new folder.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { archivedKallglotSession, type ArchivedSession } from '../../support/engine.ts';
import { eventually, openAppEngine, request } from '../../support/handlers.ts';
import { tempDir } from '../../support/tmp.ts';

const LOCK_CHILD = path.join(import.meta.dirname, '../../support/lock-child.ts');

let session: ArchivedSession | null = null;
let engine: Engine | null = null;
let fake: FakeKallglot | null = null;
afterEach(async () => {
  await session?.close();
  await engine?.close();
  await fake?.close();
  session = engine = fake = null;
});

describe('moving the archive', () => {
  it('is refused while another process archives, naming it; nothing is copied', async () => {
    session = await archivedKallglotSession('sess_mv_busy');
    const { dataDir } = session.engine.paths;
    const signal = path.join(tempDir(), 'go');
    fs.writeFileSync(signal, '');
    const holder = spawn(process.execPath, [LOCK_CHILD, dataDir, signal, '60000'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let said = '';
      await new Promise<void>((resolve) =>
        holder.stdout!.on('data', (d: Buffer) => {
          said += d.toString();
          if (said.includes('"held":true')) resolve();
        }),
      );
      const to = path.join(tempDir(), 'moved');
      await expect(session.engine.handlers.settingsUpdate({ archiveDir: to })).rejects.toThrow(
        `pid ${holder.pid}`,
      );
      expect(fs.existsSync(to)).toBe(false);
      expect(fs.readdirSync(session.engine.archiveDir()).length).toBeGreaterThan(0);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('is refused while a sync runs, naming the job', async () => {
    fake = await startFakeKallglot({
      sessions: [{ id: 'sess_slow', recordings: [{ channel: 'agent' }, { channel: 'customer' }] }],
    });
    fake.storage.faults.inject(
      { type: 'slow_body', chunkBytes: 4096, delayMs: 50 },
      { times: Number.POSITIVE_INFINITY },
    );
    engine = await openAppEngine({ K: fake.apiKey }, { dataDir: path.join(tempDir(), 'data') });
    const account = engine.accounts.add(
      'kallglot',
      { name: 'Main', baseUrl: fake.baseUrl },
      { secretEnv: 'K' },
    );
    const job = await request(engine, 'syncStart', {
      accountId: account.id,
      sessions: [{ id: 'sess_slow' }],
    });
    const e = engine;
    await eventually('the sync running', async () =>
      (await request(e, 'jobItems', { jobId: job.id, limit: 10 })).some(
        (item) => item.state === 'downloading',
      )
        ? true
        : undefined,
    );
    const to = path.join(tempDir(), 'moved');
    await expect(engine.handlers.settingsUpdate({ archiveDir: to })).rejects.toThrow(
      `sync job ${job.id} (Main)`,
    );
    expect(fs.existsSync(to)).toBe(false);
  });

  it('is refused while an export runs, naming it', async () => {
    session = await archivedKallglotSession('sess_mv_export');
    const e = session.engine;
    const started = await request(e, 'exportStart', {
      recordingIds: session.ids,
      destination: { kind: 'folder', path: path.join(tempDir(), 'export') },
      options: { format: 'flac' },
    } as Parameters<typeof request<'exportStart'>>[2]);
    const to = path.join(tempDir(), 'moved');
    await expect(e.handlers.settingsUpdate({ archiveDir: to })).rejects.toThrow(
      `export ${started.id}`,
    );
    expect(fs.existsSync(to)).toBe(false);
    await eventually('the export done', async () => {
      const view = (await request(e, 'exportsList', {})).find((x) => x.id === started.id);
      return view?.state === 'running' ? undefined : view;
    });
  });

  it('saves the new folder absolute and with symlinks resolved', async () => {
    session = await archivedKallglotSession('sess_mv_path');
    const real = fs.realpathSync(tempDir());
    const link = path.join(tempDir(), 'link');
    fs.symlinkSync(real, link);
    const moved = await session.engine.handlers.settingsUpdate({
      archiveDir: path.join(link, 'archive'),
    });
    expect(moved.archiveDir).toBe(path.join(real, 'archive'));
    const saved = JSON.parse(
      fs.readFileSync(path.join(session.engine.paths.dataDir, 'settings.json'), 'utf8'),
    );
    expect(saved.archiveDir).toBe(path.join(real, 'archive'));
  });
});
