// A 1 GiB recording archived by `recvault sync` with flat memory: the CLI's resident set is
// sampled from /proc while it downloads, hashes, fsyncs and verifies the file.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { archiveDir, partials, recordings } from '../../support/data-dir.ts';
import { delay } from '../../support/async.ts';
import { newDataDir, startWorld, type World } from '../../support/engine.ts';
import { runCliOk, spawnCli } from '../../support/cli.ts';

const MIB = 1024 * 1024;
const SIZE = 1024 * MIB;

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

function rssKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null; // the process has exited
  }
}

it.runIf(process.platform === 'linux')(
  'archives a 1 GiB recording with flat memory',
  async () => {
    // A real recording's metadata, with a 1 GiB body (a repeating 1 MiB pattern, not zeros).
    const [recording] = await world.kallglot.addSession({
      id: 'sess_big',
      recordings: [{ channel: 'mixed', audio: { channel: 'mixed', format: 'wav' } }],
    });
    const block = Buffer.alloc(MIB);
    for (let i = 0; i < MIB; i++) block[i] = (i * 31 + (i >> 11)) & 0xff;
    const big = Buffer.alloc(SIZE, block);
    const stored = world.storage.putBuffer(recording!.fileKey, big, 'audio/wav');
    Object.assign(recording!, { size: SIZE, sha256: stored.sha256 });

    const dataDir = newDataDir();
    const env = { KG_KEY: world.kallglot.apiKey };
    const kg = ['--base-url', world.kallglot.baseUrl, '--api-key-env', 'KG_KEY'];
    await runCliOk(dataDir, ['account', 'add', 'kallglot', '--name', 'KG', ...kg], env);

    const started = performance.now();
    const { child, result } = spawnCli(
      dataDir,
      ['sync', '--account', 'KG', '--session', 'sess_big'],
      env,
    );
    const pid = child.pid!;
    let running = true;
    void result.then(() => (running = false));
    let baselineKb: number | null = null;
    let peakKb = 0;
    let hwmKb = 0;
    let samples = 0;
    while (running) {
      const rss = rssKb(pid, 'VmRSS');
      const hwm = rssKb(pid, 'VmHWM');
      if (rss !== null) {
        samples++;
        // The baseline: the CLI fully started, the download just begun.
        if (baselineKb === null && partials(dataDir).length > 0) baselineKb = rss;
        peakKb = Math.max(peakKb, rss);
        if (hwm !== null) hwmKb = Math.max(hwmKb, hwm);
      }
      await delay(100);
    }
    const end = await result;
    const seconds = (performance.now() - started) / 1000;
    expect(end.code, end.stdout + end.stderr).toBe(0);

    const [row] = recordings(dataDir);
    expect(row).toMatchObject({ state: 'archived', local_size: SIZE, sha256: stored.sha256 });
    const file = path.join(archiveDir(dataDir), row!.local_path!);
    expect(fs.statSync(file).size).toBe(SIZE);
    const hash = createHash('sha256');
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 * MIB })) {
      hash.update(chunk as Buffer);
    }
    expect(hash.digest('hex')).toBe(stored.sha256);

    expect(baselineKb).not.toBeNull();
    const growthMb = ((Math.max(peakKb, hwmKb) - baselineKb!) * 1024) / 1e6;
    console.log(
      `[engine memory] 1 GiB via recvault sync in ${seconds.toFixed(1)} s; ` +
        `RSS at download start ${((baselineKb! * 1024) / 1e6).toFixed(1)} MB, ` +
        `peak ${((Math.max(peakKb, hwmKb) * 1024) / 1e6).toFixed(1)} MB (VmHWM ${((hwmKb * 1024) / 1e6).toFixed(1)} MB), ` +
        `growth ${growthMb.toFixed(1)} MB over ${samples} samples`,
    );
    // Holding the file would cost over 1000 MB; streaming keeps the growth to buffers.
    expect(samples).toBeGreaterThan(5);
    expect(growthMb).toBeLessThan(200);
  },
  120_000,
);
