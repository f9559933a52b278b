// Bench 4: batch export. N four-minute WAV recordings to MP3 with Recvault's export core
// (runExport: probe, source checksum, ffmpeg, output checksum and exact durations, manifest.csv,
// manifest.json, SHA256SUMS), against `xargs -P <cores> ffmpeg` with the very same conversion
// arguments (built by the export core's own buildConversionArgs) on the same files.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runExport } from '../main/core/convert/index.ts';
import type { ExportSource } from '../main/core/convert/index.ts';
import { buildConversionArgs } from '../main/core/convert/ffmpeg-args.ts';
import { parseExportOptions } from '../main/core/contract/export-options.ts';
import { planOutputs } from '../main/core/convert/plan.ts';
import { locateFfmpegTools } from '../main/core/ffmpeg/locate.ts';
import { probeMedia } from '../main/core/ffmpeg/probe.ts';
import { fakeAudio } from '../test/fakes/audio.ts';
import { defineBench } from './lib/bench.ts';
import { KNOBS } from './lib/knobs.ts';
import { againstPeer } from './lib/results.ts';
import { runStandalone } from './lib/standalone.ts';
import { expectOk, folderSize, formatBytes, formatMs, log, runChild } from './lib/util.ts';

const COUNT = KNOBS.exportCount;
const DURATION_SEC = 240;

export const { id, run } = defineBench(
  { id: 'export-batch', title: 'Batch export to MP3' },
  async (work) => {
    const tools = locateFfmpegTools();
    const cores = os.availableParallelism();
    // 16 kHz mono 16-bit PCM, as Kallglot delivers a single channel: 7.7 MB per file.
    const audio = await fakeAudio({ channel: 'agent', format: 'wav', durationSec: DURATION_SEC });
    const srcDir = path.join(work, 'src');
    fs.mkdirSync(srcDir);
    const sha256 = createHash('sha256').update(fs.readFileSync(audio.path)).digest('hex');
    const sources: ExportSource[] = [];
    for (let i = 0; i < COUNT; i++) {
      const remoteId = `rec_export_${String(i).padStart(4, '0')}`;
      const absolutePath = path.join(srcDir, `${remoteId}.wav`);
      fs.copyFileSync(audio.path, absolutePath);
      sources.push({
        recordingId: String(i + 1),
        provider: 'kallglot',
        accountName: 'Bench',
        sessionId: `sess_export_${String(Math.floor(i / 3)).padStart(4, '0')}`,
        callId: null,
        remoteId,
        channel: 'agent',
        recordedAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
        durationSec: DURATION_SEC,
        contentType: 'audio/wav',
        format: 'wav',
        sha256,
        absolutePath,
      });
    }
    const options = { format: 'mp3' as const };

    // The peer's command lines: the export core's own plan and arguments for each file.
    const info = await probeMedia(sources[0]!.absolutePath, { ffprobePath: tools.ffprobe });
    const peerDir = path.join(work, 'peer');
    fs.mkdirSync(peerDir);
    const lines = sources.map((source) => {
      const [plan] = planOutputs(source, parseExportOptions(options), info);
      if (!plan || plan.recipe.kind !== 'ffmpeg') throw new Error('expected an ffmpeg conversion');
      const args = buildConversionArgs(
        plan.recipe,
        source.absolutePath,
        path.join(peerDir, `${source.remoteId}.mp3`),
      );
      return ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args].join(' ');
    });
    const list = path.join(work, 'peer-args.txt');
    fs.writeFileSync(list, lines.join('\n') + '\n');

    await runChild('sync', []);
    const peer = expectOk(
      await runChild('sh', ['-c', `xargs -P ${cores} -L 1 "${tools.ffmpeg}" < "${list}"`], {
        timeoutMs: 900_000,
      }),
      'xargs ffmpeg',
    );
    const peerOut = folderSize(peerDir);
    if (peerOut.files !== COUNT) throw new Error(`the peer wrote ${peerOut.files} files`);
    log(`${id}: xargs ffmpeg ${formatMs(peer.ms)}`);

    const outDir = path.join(work, 'recvault');
    await runChild('sync', []);
    const t0 = performance.now();
    const summary = await runExport({
      sources,
      options,
      destination: { kind: 'folder', path: outDir },
      tools,
    });
    const recvaultMs = performance.now() - t0;
    if (summary.totals.outputs !== COUNT || summary.totals.failures !== 0) {
      throw new Error(
        `Recvault exported ${summary.totals.outputs}, failed ${summary.totals.failures}`,
      );
    }
    log(`${id}: Recvault ${formatMs(recvaultMs)}`);
    const recvaultOut = folderSize(outDir);
    const ratio = peer.ms / recvaultMs;
    const peerName = `xargs -P ${cores} ffmpeg`;
    const sourceBytes = COUNT * audio.size;
    return {
      metrics: [
        {
          ...againstPeer(`${COUNT} × ${DURATION_SEC / 60} min WAV → MP3`, peerName, {
            recvault: recvaultMs,
            peer: peer.ms,
          }),
          target: '≥ 0.95× peer throughput',
          met: ratio >= 0.95,
        },
        {
          name: 'files per second',
          recvault: (COUNT / (recvaultMs / 1000)).toFixed(2),
          peer: (COUNT / (peer.ms / 1000)).toFixed(2),
          peerName,
        },
      ],
      notes: [
        `${COUNT} copies of a ${DURATION_SEC} s 16 kHz mono 16-bit WAV (${formatBytes(audio.size)} each, ${formatBytes(sourceBytes)} in all), ` +
          `exported with options ${JSON.stringify(options)} (the export core's defaults otherwise) to a folder; ${cores} parallel ffmpeg processes on both sides.`,
        `Peer command per file: \`ffmpeg -hide_banner -nostdin -loglevel error ${lines[0]!
          .split(' ')
          .slice(4)
          .join(' ')
          .replaceAll(work, '…')}\` (arguments from buildConversionArgs for the same plan).`,
        `Recvault's time is runExport end to end: a probe of each source (read from the WAV header; ffprobe for other files), ` +
          `SHA-256 of each source checked against the archive's before its output is published, the conversion (with -progress, ` +
          `ffmpeg's own decoded/encoded sample counts giving exact source and output durations for the manifest), SHA-256 of each output, ` +
          `then manifest.csv, manifest.json and SHA256SUMS (${recvaultOut.files} files, ${formatBytes(recvaultOut.bytes)} written).`,
        `One round each (peer first), page cache warm for both, \`sync\` before each.`,
      ],
    };
  },
);

if (import.meta.main) await runStandalone(run);
