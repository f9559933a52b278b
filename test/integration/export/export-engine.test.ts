import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { tempDir } from '../../support/tmp.ts';
import { archivedKallglotSession, type ArchivedSession } from '../../support/engine.ts';

let session: ArchivedSession | null = null;

afterEach(async () => {
  await session?.close();
  session = null;
});

const OPTIONS = {
  format: 'mp3' as const,
  bitrateKbps: 96,
  sampleRate: 'keep' as const,
  channels: 'keep' as const,
  video: 'keep' as const,
  loudnorm: false,
  fileNameTemplate: '{provider}_{recording}_{channel}',
  timeZone: 'UTC',
  package: 'files' as const,
  organization: '',
  loadFiles: [],
  controlPrefix: 'REC',
  controlStart: 1,
  datEncoding: 'utf-8' as const,
  profile: 'none' as const,
};

async function archivedSession(): Promise<{ engine: Engine; ids: number[] }> {
  session = await archivedKallglotSession('sess_X1');
  return session;
}

describe('export through the engine', () => {
  it('converts archived recordings, writes checked manifests and audits the export', async () => {
    const { engine: e, ids } = await archivedSession();
    const out = path.join(tempDir(), 'for-legal');
    const started = e.exports.start({
      recordingIds: ids,
      query: null,
      destination: { kind: 'folder', path: out },
      options: OPTIONS,
    });
    const { export: view, summary } = await e.exports.wait(started.id);
    expect(view.state).toBe('done');
    expect(view.failures).toEqual([]);
    expect(summary!.outputs).toHaveLength(3);
    const names = fs.readdirSync(out).sort();
    expect(names).toEqual(expect.arrayContaining(['manifest.csv', 'manifest.json', 'SHA256SUMS']));
    expect(names.filter((n) => n.endsWith('.mp3'))).toHaveLength(3);
    const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const manifestSha = createHash('sha256')
      .update(fs.readFileSync(path.join(out, 'manifest.json')))
      .digest('hex');
    const audit = e.db
      .prepare(`SELECT details_json FROM audit_log WHERE action = 'export.completed'`)
      .get() as { details_json: string };
    expect(JSON.parse(audit.details_json)).toMatchObject({
      outputs: 3,
      failures: 0,
      manifestSha256: manifestSha,
    });
    expect(e.exports.list()[0]).toMatchObject({ id: started.id, state: 'done', filesDone: 3 });
  });

  it('refuses to export what is not archived', async () => {
    const { engine: e, ids } = await archivedSession();
    e.db
      .prepare(
        `UPDATE recordings SET state = 'pending', local_path = NULL, sha256 = NULL WHERE id = ?`,
      )
      .run(ids[0]);
    expect(() =>
      e.exports.start({
        recordingIds: ids,
        query: null,
        destination: { kind: 'folder', path: tempDir() },
        options: OPTIONS,
      }),
    ).toThrow(/not archived yet/);
  });
});

describe('drag out of the window', () => {
  it('hands over archived files and refuses a path outside the archive', async () => {
    const { engine: e, ids } = await archivedSession();
    const files = await e.drag.files(ids);
    expect(files).toHaveLength(3);
    for (const file of files) {
      expect(file.startsWith(e.archiveDir() + path.sep)).toBe(true);
      expect(fs.existsSync(file)).toBe(true);
    }
    // An index row pointing outside the archive (a tampered database) is refused.
    e.db.pragma('ignore_check_constraints = ON');
    e.db
      .prepare(`UPDATE recordings SET local_path = '../../../etc/passwd' WHERE id = ?`)
      .run(ids[0]);
    await expect(e.drag.files([ids[0]!])).rejects.toThrow();
  });

  it('hands over copies in the drag format once prepared, checked to lie in the cache', async () => {
    const { engine: e, ids } = await archivedSession();
    e.settings.update({ dragFormat: 'mp3' });
    await expect(e.handlers.dragPrepare({ recordingIds: ids })).resolves.toEqual({ preparing: 3 });
    await e.drag.settled();
    const files = await e.drag.files(ids);
    expect(files).toHaveLength(3);
    for (const file of files) {
      expect(file.startsWith(e.paths.cacheDir + path.sep)).toBe(true);
      expect(file.endsWith('.mp3')).toBe(true);
      const probe = spawnSync(
        'ffprobe',
        ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', file],
        { encoding: 'utf8' },
      );
      expect(probe.stdout.trim()).toBe('mp3');
    }
    // Already prepared: nothing to start again.
    await expect(e.drag.prepareCopies(ids)).resolves.toBe(0);
  });
});
