// What Recvault creates in the data directory and the archive is the user's alone: folders
// 0700, files 0600 (recordings, sidecars, the index and its journal, settings, secrets, key),
// whatever the umask. Exports take the user's umask: they are made to be shared.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { localKeyCipher } from '../../../main/core/secrets/local-key-cipher.ts';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { newDataDir } from '../../support/engine.ts';
import { openAppEngine, request, settledJob } from '../../support/handlers.ts';

let fake: FakeKallglot | null = null;
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.close();
  await fake?.close();
  engine = fake = null;
});

/** Every entry below `dir` (itself included) with its permission bits. */
function modes(dir: string): { entry: string; dir: boolean; mode: number }[] {
  const out = [{ entry: '.', dir: true, mode: fs.statSync(dir).mode & 0o777 }];
  for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const stat = fs.lstatSync(path.join(dir, entry));
    out.push({ entry, dir: stat.isDirectory(), mode: stat.mode & 0o777 });
  }
  return out;
}

describe.skipIf(process.platform === 'win32')('file modes', () => {
  it('data folder and archive 0700, every file Recvault creates in them 0600', async () => {
    const umask = process.umask(0o022);
    try {
      fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_modes')] });
      const dataDir = newDataDir();
      // The first start creates the data folder; the app's key file lives inside it.
      await (await openAppEngine({}, { dataDir })).close();
      engine = await openAppEngine(
        {},
        { dataDir, platform: { cipher: localKeyCipher(path.join(dataDir, 'secrets.key')) } },
      );
      const account = await request(engine, 'accountsAdd', {
        provider: 'kallglot',
        name: 'Main',
        baseUrl: fake.baseUrl,
        secret: fake.apiKey,
      });
      await request(engine, 'settingsUpdate', { concurrency: 2 });
      const job = await request(engine, 'syncStart', {
        accountId: account.id,
        sessions: [{ id: 'sess_modes' }],
      });
      expect((await settledJob(engine, job.id)).totals.archived).toBe(3);
      const [row] = (await request(engine, 'librarySearch', { query: { text: 'sess_modes' } }))
        .rows;
      await request(engine, 'recordingPeaks', { id: row!.id });

      const found = modes(dataDir);
      const names = found.map((f) => f.entry);
      for (const expected of ['index.sqlite', 'settings.json', 'secrets.json', 'secrets.key']) {
        expect(names).toContain(expected);
      }
      expect(names.filter((n) => n.endsWith('.json') && n.startsWith('archive'))).toHaveLength(3);
      expect(names.some((n) => n.startsWith('cache'))).toBe(true);
      // Custody's signed checkpoints are published for others to check (issue 12 chose 0644);
      // inside the 0700 data folder no other user reaches them.
      const wrong = found.filter(
        (f) => !f.entry.startsWith('checkpoints') && f.mode !== (f.dir ? 0o700 : 0o600),
      );
      expect(wrong).toEqual([]);
    } finally {
      process.umask(umask);
    }
  });
});
