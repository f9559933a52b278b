// "original" byte copies, manifests and SHA256SUMS (checked by the real `sha256sum -c`), and a
// zip export holding exactly the files and bytes of the same folder export.
import { execFile } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { runExport, type ExportRequest } from '../../../main/core/convert/run-export.ts';
import type { ExportSource } from '../../../main/core/convert/source.ts';
import { makeMonoWav, makeMp3, makeStereoMixed, sourceFor, tools } from '../../support/media.ts';
import { makeTempDir, removeDir } from '../../support/tmp.ts';
import { sha256File } from '../../support/bytes.ts';

const exec = promisify(execFile);

let dir: string;
let sources: ExportSource[];

beforeAll(async () => {
  dir = await makeTempDir('folder-zip');
  sources = [
    await sourceFor(await makeStereoMixed(path.join(dir, 'a.wav'), 2), {
      remoteId: 'rec_a',
      recordedAt: '2024-03-10T23:30:05Z',
    }),
    await sourceFor(await makeMp3(path.join(dir, 'b.mp3')), {
      remoteId: 'rec_b',
      recordedAt: '2024-03-11T08:00:00Z',
      contentType: 'audio/mpeg',
    }),
    await sourceFor(await makeMonoWav(path.join(dir, 'c.wav')), {
      provider: 'koreai',
      remoteId: 'rec_c',
      channel: 'customer',
      recordedAt: '2024-03-11T09:15:00Z',
    }),
  ];
});
afterAll(() => removeDir(dir));

function request(
  destination: ExportRequest['destination'],
  format: 'original' | 'opus',
): ExportRequest {
  // Reversed on purpose: the export sorts by recorded time, so the order given does not matter.
  return {
    sources: [...sources].reverse(),
    options: { format, timeZone: 'America/New_York' },
    destination,
    tools,
  };
}

function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (openError, zip) => {
      if (openError) return reject(openError);
      const entries = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

describe('folder export', () => {
  it('"original" copies bytes exactly, with manifests that sha256sum -c accepts', async () => {
    const out = path.join(dir, 'original');
    const summary = await runExport(request({ kind: 'folder', path: out }, 'original'));
    expect(summary.failures).toEqual([]);
    // Sorted by recorded time; the default template names the account; {date}/{time} in the chosen zone (New York).
    expect(summary.outputs.map((o) => o.outputName)).toEqual([
      'kallglot_Legal Team_2024-03-10_19-30-05_rec_a_mixed.wav',
      'kallglot_Legal Team_2024-03-11_04-00-00_rec_b_mixed.mp3',
      'koreai_Legal Team_2024-03-11_05-15-00_rec_c_customer.wav',
    ]);
    for (const [i, output] of summary.outputs.entries()) {
      const source = sources[i]!;
      expect(output.recordingId).toBe(source.recordingId);
      expect(await sha256File(path.join(out, output.outputName))).toBe(source.sha256);
      expect(output.outputSha256).toBe(source.sha256);
      expect(output.sourceSha256).toBe(source.sha256);
      expect(output.outputBytes).toBe(output.sourceBytes);
      expect(output.settings).toMatchObject({ format: 'original', audioCodec: 'copy' });
    }
    expect((await readdir(out)).sort()).toEqual(
      [
        ...summary.outputs.map((o) => o.outputName),
        'SHA256SUMS',
        'manifest.csv',
        'manifest.json',
      ].sort(),
    );

    const { stdout } = await exec('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out });
    expect(stdout.trim().split('\n')).toHaveLength(5);
    expect(stdout).not.toMatch(/FAILED/);

    const manifest = JSON.parse(await readFile(summary.manifestPath, 'utf8'));
    expect(manifest.exportId).toBe(summary.exportId);
    expect(manifest.files).toHaveLength(3);
    expect(manifest.files[1]).toMatchObject({
      recordingId: sources[1]!.recordingId,
      sourceSha256: sources[1]!.sha256,
      outputName: 'kallglot_Legal Team_2024-03-11_04-00-00_rec_b_mixed.mp3',
    });
    expect(await sha256File(summary.manifestPath)).toBe(summary.manifestSha256);

    const csv = (await readFile(path.join(out, 'manifest.csv'), 'utf8')).trim().split('\r\n');
    expect(csv[0]).toBe(
      'output_file,output_sha256,output_bytes,output_duration_sec,source_recording_id,source_sha256,source_bytes,source_duration_sec,provider,account,session_id,call_id,remote_id,channel,recorded_at,settings',
    );
    expect(csv).toHaveLength(4);
    expect(csv[3]).toContain(
      `koreai_Legal Team_2024-03-11_05-15-00_rec_c_customer.wav,${sources[2]!.sha256}`,
    );
  });

  it('sha256sum -c also fails when a file is changed afterwards (the check can fail)', async () => {
    const out = path.join(dir, 'tampered');
    const summary = await runExport(request({ kind: 'folder', path: out }, 'original'));
    await writeFile(path.join(out, summary.outputs[0]!.outputName), 'tampered');
    await expect(exec('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out })).rejects.toMatchObject({
      code: 1,
    });
  });
});

describe('zip export', () => {
  it('holds the same file names and bytes as the folder export', async () => {
    const folder = path.join(dir, 'as-folder');
    const zipPath = path.join(dir, 'as-zip', 'export.zip');
    const events: string[] = [];
    const fromFolder = await runExport(request({ kind: 'folder', path: folder }, 'opus'));
    const fromZip = await runExport({
      ...request({ kind: 'zip', path: zipPath }, 'opus'),
      onProgress: (e) => {
        if (e.type === 'batch') events.push(e.phase);
      },
    });
    expect(fromZip.failures).toEqual([]);
    expect(fromZip.zipSha256).toBe(await sha256File(zipPath));
    expect(fromZip.manifestPath).toBe(zipPath);

    const entries = await readZip(zipPath);
    const folderNames = (await readdir(folder)).sort();
    expect([...entries.keys()].sort()).toEqual(folderNames);
    // Conversions are bit-exact, so even re-encoded files are identical between the two runs.
    for (const output of fromFolder.outputs) {
      const fromDisk = await readFile(path.join(folder, output.outputName));
      expect(entries.get(output.outputName)?.equals(fromDisk)).toBe(true);
    }
    // Manifests differ only by export id and time: same rows.
    const zipManifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    const folderManifest = JSON.parse(await readFile(fromFolder.manifestPath, 'utf8'));
    expect(zipManifest.files).toEqual(folderManifest.files);
    expect(entries.get('manifest.csv')!.toString()).toBe(
      await readFile(path.join(folder, 'manifest.csv'), 'utf8'),
    );
    // Only the zip is left beside it: no staging folder, no partial file.
    expect(await readdir(path.dirname(zipPath))).toEqual(['export.zip']);
    expect(events[0]).toBe('probing');
    expect(events.at(-1)).toBe('done');
  });
});
