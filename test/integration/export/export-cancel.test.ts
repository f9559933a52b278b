// Cancelling an export through the handler table while ffmpeg converts a real archive: it
// stops, every file it wrote is removed, and the export is listed and audited as cancelled.
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Engine } from '../../../main/core/engine.ts';
import type { ExportView } from '../../../main/core/contract/types.ts';
import { startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { filesUnder, queryIndex } from '../../support/data-dir.ts';
import { newDataDir } from '../../support/engine.ts';
import { openAppEngine, request, settledJob } from '../../support/handlers.ts';
import { tempDir } from '../../support/tmp.ts';

let fake: FakeKallglot | null = null;
let engine: Engine | null = null;

afterEach(async () => {
  await engine?.close();
  await fake?.close();
  engine = fake = null;
});

const RECORDINGS = 6;

describe('cancelling an export', () => {
  it('stops it, removes every file it wrote, and lists and audits it as cancelled', async () => {
    fake = await startFakeKallglot({
      sessions: [
        {
          id: 'sess_cancel',
          recordings: Array.from({ length: RECORDINGS }, () => ({
            channel: 'mixed' as const,
            audio: { channel: 'mixed' as const, format: 'wav' as const, durationSec: 20 },
          })),
        },
      ],
    });
    const dataDir = newDataDir();
    engine = await openAppEngine({ K: fake.apiKey }, { dataDir });
    const account = engine.accounts.add(
      'kallglot',
      { name: 'Main', baseUrl: fake.baseUrl },
      { secretEnv: 'K' },
    );
    const job = await request(engine, 'syncStart', {
      accountId: account.id,
      sessions: [{ id: 'sess_cancel' }],
    });
    expect((await settledJob(engine, job.id)).totals.archived).toBe(RECORDINGS);
    const { rows } = await request(engine, 'librarySearch', { query: { text: 'sess_cancel' } });

    const out = path.join(tempDir(), 'for-legal');
    const firstFileDone = new Promise<void>((resolve) => {
      const off = engine!.events.subscribe((channel, payload) => {
        if (
          channel === 'exportProgress' &&
          (payload as { export: ExportView }).export.filesDone > 0
        ) {
          off();
          resolve();
        }
      });
    });
    const started = await request(engine, 'exportStart', {
      recordingIds: rows.map((row) => row.id),
      destination: { kind: 'folder', path: out },
      // Loudness normalisation: slow enough that the cancel lands mid-batch.
      options: { format: 'mp3', loudnorm: true },
    });
    await firstFileDone;
    expect(filesUnder(out).length).toBeGreaterThan(0);

    const cancelled = await request(engine, 'exportCancel', { exportId: started.id });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.filesDone).toBeLessThan(RECORDINGS);
    expect(filesUnder(out)).toEqual([]);
    const [listed] = (await request(engine, 'exportsList', {})).filter((e) => e.id === started.id);
    expect(listed).toMatchObject({ state: 'cancelled', revealPath: null });
    expect(listed!.error).toMatch(/cancel/i);

    const audit = queryIndex<{ action: string; details_json: string }>(
      dataDir,
      'SELECT action, details_json FROM audit_log WHERE subject = ? ORDER BY seq',
      `export:${started.id}`,
    );
    expect(audit.map((entry) => entry.action)).toEqual(['export.started', 'export.failed']);
    expect(JSON.parse(audit[1]!.details_json)).toMatchObject({ cancelled: true });
  });
});
