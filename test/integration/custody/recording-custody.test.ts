// The custody panel's facts through the handler table: the archived file's absolute path (and
// "Show in folder" through the platform's reveal, with the path looked up from the id alone),
// and the exports that included the recording, with their destination, format and file names.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inProcessApi } from '../../../main/core/api/in-process-client.ts';
import { dispatchRequest } from '../../../main/core/api/dispatch.ts';
import { openEngine, type Engine } from '../../../main/core/engine.ts';
import { CLI_ENGINE_OPTIONS } from '../../../main/cli/engine-options.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { newDataDir } from '../../support/engine.ts';
import { tempDir } from '../../support/tmp.ts';

let fake: FakeKallglot | null = null;
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.close();
  await fake?.close();
  engine = fake = null;
});

async function archived(reveal?: (p: string) => void): Promise<{ engine: Engine; ids: number[] }> {
  fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_custody')] });
  engine = await openEngine({
    dataDir: newDataDir(),
    ...CLI_ENGINE_OPTIONS,
    env: { KALLGLOT_KEY: fake.apiKey },
    maxInRunWaitMs: 0,
    ...(reveal ? { platform: { showItemInFolder: reveal } } : {}),
  });
  const account = engine.accounts.add(
    'kallglot',
    { name: 'Main', baseUrl: fake.baseUrl },
    { secretEnv: 'KALLGLOT_KEY' },
  );
  const job = engine.jobs.start(account.id, {
    sessions: [{ id: 'sess_custody' }],
    recordingIds: [],
    callIds: [],
  });
  await engine.jobs.wait(job.id);
  const ids = (
    engine.db.prepare('SELECT id FROM recordings ORDER BY id').all() as { id: number }[]
  ).map((r) => r.id);
  return { engine, ids };
}

describe('a recording’s custody panel', () => {
  it('lists the exports that included it, newest first, with destination, format and file names', async () => {
    const { engine, ids } = await archived();
    const api = inProcessApi(engine.handlers, engine.events);
    const [first, second] = ids as [number, number];
    const run = async (recordingIds: number[], format: 'original' | 'mp3', out: string) => {
      const started = await api.exportStart({
        recordingIds,
        destination: { kind: 'folder', path: out },
        options: { format, fileNameTemplate: '{recording}' },
        createFolder: true,
      });
      if (!started.ok) throw new Error(started.message);
      const ended = await api.exportWait({ exportId: started.value.id });
      if (!ended.ok) throw new Error(ended.message);
      return started.value.id;
    };
    const outA = path.join(tempDir(), 'for-legal');
    const outB = path.join(tempDir(), 'second');
    const a = await run([first, second], 'original', outA);
    const b = await run([first], 'mp3', outB);
    const other = await run([second], 'original', path.join(tempDir(), 'other'));

    const view = await api.recordingCustody({ id: first });
    if (!view.ok) throw new Error(view.message);
    expect(view.value.exports.map((e) => e.exportId)).toEqual([b, a]);
    const [newest, oldest] = view.value.exports;
    expect(newest).toMatchObject({
      state: 'done',
      destination: outB,
      kind: 'folder',
      format: 'mp3',
    });
    expect(oldest).toMatchObject({ destination: outA, format: 'original' });
    // The names are the files on disk in the export folder.
    for (const entry of [newest!, oldest!]) {
      expect(entry.fileNames.length).toBeGreaterThan(0);
      for (const name of entry.fileNames) {
        expect(fs.existsSync(path.join(entry.destination, name)), name).toBe(true);
      }
    }
    const theOther = await api.recordingCustody({ id: second });
    if (!theOther.ok) throw new Error(theOther.message);
    expect(theOther.value.exports.map((e) => e.exportId)).toEqual([other, a]);
  });

  it('gives the absolute path of the file, and shows it in the folder from the id alone', async () => {
    const revealed: string[] = [];
    const { engine, ids } = await archived((p) => revealed.push(p));
    const api = inProcessApi(engine.handlers, engine.events);
    const view = await api.recordingCustody({ id: ids[0]! });
    if (!view.ok) throw new Error(view.message);
    const { filePath } = view.value;
    expect(filePath && path.isAbsolute(filePath)).toBe(true);
    expect(view.value).toMatchObject({ fileExists: true, canShowInFolder: true });
    expect(fs.realpathSync(filePath!)).toBe(
      fs.realpathSync(
        path.join(
          engine.archiveDir(),
          ...String(
            (
              engine.db.prepare('SELECT local_path FROM recordings WHERE id = ?').get(ids[0]) as {
                local_path: string;
              }
            ).local_path,
          ).split('/'),
        ),
      ),
    );
    const shown = await api.recordingShowInFolder({ id: ids[0]! });
    expect(shown).toMatchObject({ ok: true, value: { shown: true } });
    expect(revealed.map((p) => fs.realpathSync(p))).toEqual([fs.realpathSync(filePath!)]);

    // A path from the caller is refused by the schema, never used.
    const smuggled = await dispatchRequest(engine.handlers, 'recordingShowInFolder', {
      id: ids[0],
      path: '/etc/passwd',
    } as never);
    expect(smuggled).toMatchObject({ ok: false, code: 'invalid_arguments' });
    expect(revealed).toHaveLength(1);

    // A file gone from the archive is named, and nothing is opened.
    fs.rmSync(filePath!);
    const missing = await api.recordingShowInFolder({ id: ids[0]! });
    expect(missing).toMatchObject({ ok: false, code: 'not_found' });
    expect(!missing.ok && missing.message).toContain(path.basename(filePath!));
    expect(revealed).toHaveLength(1);
  });

  it('says plainly where the file is when no file manager can be opened (the bridge)', async () => {
    const { engine, ids } = await archived();
    const api = inProcessApi(engine.handlers, engine.events);
    const view = await api.recordingCustody({ id: ids[0]! });
    expect(view).toMatchObject({ ok: true, value: { canShowInFolder: false, fileExists: true } });
    const shown = await api.recordingShowInFolder({ id: ids[0]! });
    expect(shown).toMatchObject({ ok: true, value: { shown: false } });
    expect(shown.ok && fs.realpathSync(shown.value.path)).toBe(
      view.ok && fs.realpathSync(view.value.filePath!),
    );
  });
});
