import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inProcessApi, type InProcessApi } from '../../../main/core/api/in-process-client.ts';
import { archivedKallglotSession, type ArchivedSession } from '../../support/engine.ts';
import { tempDir } from '../../support/tmp.ts';

// The bitrate a user asks for reaches every lossy encoder, not only mp3's: an ogg, m4a or opus
// export at 48 kbit/s is smaller than one at 128 kbit/s (it once kept the format's default).

let session: ArchivedSession;
let api: InProcessApi;
let mixedId: number;

// One archive per test: temporary folders are removed after each.
beforeEach(async () => {
  session = await archivedKallglotSession('sess_bitrate');
  api = inProcessApi(session.engine.handlers, session.engine.events);
  // The stereo 44.1 kHz recording: every encoder takes both bitrates at that rate.
  mixedId = session.ids[0]!;
});
afterEach(async () => {
  await session.close();
});

function bitRate(file: string): number {
  const probe = spawnSync(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'format=bit_rate', '-of', 'csv=p=0', file],
    { encoding: 'utf8' },
  );
  return Number(probe.stdout.trim());
}

async function exportAt(format: 'ogg' | 'm4a' | 'opus', bitrateKbps: number): Promise<number> {
  const out = path.join(tempDir(), `${format}-${bitrateKbps}`);
  const started = await api.exportStart({
    recordingIds: [mixedId],
    destination: { kind: 'folder', path: out },
    options: { format, bitrateKbps, fileNameTemplate: '{recording}' },
  });
  if (!started.ok) throw new Error(started.message);
  const ended = await api.exportWait({ exportId: started.value.id });
  if (!ended.ok) throw new Error(ended.message);
  expect(ended.value.export, JSON.stringify(ended.value.export)).toMatchObject({ state: 'done' });
  const [media] = fs.readdirSync(out).filter((name) => name.endsWith(`.${format}`));
  return bitRate(path.join(out, media!));
}

describe('export bitrate', () => {
  for (const format of ['ogg', 'm4a', 'opus'] as const) {
    it(`${format}: the asked-for bitrate is the one encoded`, async () => {
      const low = await exportAt(format, 48);
      const high = await exportAt(format, 128);
      expect(low).toBeGreaterThan(0);
      // Were the asked-for bitrate dropped, both would be encoded at the format's default.
      expect(high).toBeGreaterThan(low * 1.3);
    });
  }
});
