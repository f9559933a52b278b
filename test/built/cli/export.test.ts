import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { afterEach, describe, expect, it } from 'vitest';
import { dualChannelSession, startFakeKallglot, type FakeKallglot } from '../../fakes/kallglot.ts';
import { tempDir } from '../../support/tmp.ts';
import { addKallglotAccount, runCli } from '../../support/cli.ts';
import { newDataDir } from '../../support/engine.ts';

let fake: FakeKallglot | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

function zipEntries(file: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, string>();
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const hash = createHash('sha256');
          stream.on('data', (c) => hash.update(c));
          stream.on('end', () => {
            entries.set(entry.fileName, hash.digest('hex'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.readEntry();
    });
  });
}

function folderEntries(dir: string): Map<string, string> {
  return new Map(
    fs.readdirSync(dir).map((name) => [
      name,
      createHash('sha256')
        .update(fs.readFileSync(path.join(dir, name)))
        .digest('hex'),
    ]),
  );
}

describe('recvault export', () => {
  it('exports a search to a folder and to a zip holding the same files, each checksummed', async () => {
    fake = await startFakeKallglot({ sessions: [dualChannelSession('sess_Z9')] });
    const dataDir = newDataDir();
    const env = await addKallglotAccount(dataDir, fake, 'Z');
    const sync = await runCli(dataDir, ['sync', '--account', 'Z', '--session', 'sess_Z9'], env);
    expect(sync.code, sync.stderr).toBe(0);

    const out = path.join(tempDir(), 'folder');
    const zip = path.join(tempDir(), 'hold.zip');
    const common = [
      '--format',
      'wav',
      '--sample-rate',
      '16000',
      '--channels',
      'mono',
      '--query',
      'sess_Z9',
    ];
    const folderRun = await runCli(dataDir, ['export', '--out', out, ...common, '--json'], env);
    expect(folderRun.code, folderRun.stderr).toBe(0);
    const summary = JSON.parse(folderRun.stdout);
    expect(summary.totals).toMatchObject({ sources: 3, outputs: 3, failures: 0 });
    const zipRun = await runCli(dataDir, ['export', '--zip', zip, ...common], env);
    expect(zipRun.code, zipRun.stderr).toBe(0);
    expect(zipRun.stdout).toMatch(/Exported 3 file\(s\)/);

    const fromFolder = folderEntries(out);
    const fromZip = await zipEntries(zip);
    const media = (m: Map<string, string>) => new Map([...m].filter(([n]) => n.endsWith('.wav')));
    expect(media(fromZip)).toEqual(media(fromFolder));
    expect([...fromZip.keys()].sort()).toEqual([...fromFolder.keys()].sort());

    // Refuses to overwrite what it did not write.
    const again = await runCli(dataDir, ['export', '--zip', zip, ...common], env);
    expect(again.code).toBe(1);
    expect(again.stdout + again.stderr).toMatch(/Export refused: .* already contains/);
  });

  it('refuses bad usage with exit code 2', async () => {
    const dataDir = newDataDir();
    const env = {};
    const both = await runCli(dataDir, ['export', '--out', 'a', '--zip', 'b.zip', '1'], env);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Give either --out DIR or --zip FILE.');
    const format = await runCli(dataDir, ['export', '--out', 'a', '--format', 'aiff', '1'], env);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('Unknown format "aiff"');
  });
});
