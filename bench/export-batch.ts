// Bench 4: batch export. N four-minute WAV recordings, archived by a real sync, exported to MP3
// as the app runs it: the engine's export manager in its own process (selection from the index,
// probe, source checksum, ffmpeg, output checksum and exact durations, manifest.csv,
// manifest.json, SHA256SUMS, the export row and audit entries), against `xargs -P <cores>
// ffmpeg` with the very same conversion arguments (the export core's buildConversionArgs) on
// the same bytes. Three rounds, alternating who goes first; the median of each.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
import { BENCH_KALLGLOT_KEY, seedRecordings, startBenchKallglot } from './lib/fake-kallglot.ts';
import {
  expectOk,
  folderSize,
  formatBytes,
  formatMs,
  log,
  median,
  nodeTs,
  removeScratch,
  runChild,
  scratch,
} from './lib/util.ts';

const COUNT = KNOBS.exportCount;
const DURATION_SEC = 240;
const ROUNDS = 3;
const PER_SESSION = 10;

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

    // The archive the app exports from: the same WAV, archived by a real sync (index rows,
    // sidecars, checksums), so the export reads what it reads for a user.
    const dataDir = scratch(`${id}/data`);
    const fake = await startBenchKallglot(0);
    try {
      // Exactly COUNT recordings: sessions of 10 when that divides, else one per session.
      const perSession = COUNT % PER_SESSION === 0 ? PER_SESSION : 1;
      const sessions = COUNT / perSession;
      const seeded = seedRecordings(
        fake,
        {
          data: fs.readFileSync(audio.path),
          format: 'wav',
          contentType: audio.contentType,
          durationSec: DURATION_SEC,
          sampleRate: audio.sampleRate,
        },
        sessions,
        perSession,
        'export',
      );
      const sessionsFile = path.join(work, 'sessions.txt');
      fs.writeFileSync(sessionsFile, seeded.sessionIds.join('\n') + '\n');
      const [node, args] = nodeTs('lib/sync-child.ts', [dataDir, fake.baseUrl, sessionsFile, '4']);
      const synced = expectOk(
        await runChild(node, args, {
          env: { ...process.env, BENCH_KALLGLOT_KEY, BENCH_UNLIMITED_RATE: '1' },
          timeoutMs: 900_000,
        }),
        'Recvault sync (archive to export from)',
      );
      const outcome = JSON.parse(synced.stdout.trim().split('\n').at(-1)!) as {
        totals: { archived: number };
      };
      if (outcome.totals.archived < COUNT) {
        throw new Error(`the archive holds ${outcome.totals.archived} of ${COUNT}`);
      }
    } finally {
      await fake.close();
    }

    const peerRun = async (): Promise<number> => {
      removeScratch(peerDir);
      fs.mkdirSync(peerDir, { recursive: true });
      await runChild('sync', []);
      const peer = expectOk(
        await runChild('sh', ['-c', `xargs -P ${cores} -L 1 "${tools.ffmpeg}" < "${list}"`], {
          timeoutMs: 900_000,
        }),
        'xargs ffmpeg',
      );
      const peerOut = folderSize(peerDir);
      if (peerOut.files !== COUNT) throw new Error(`the peer wrote ${peerOut.files} files`);
      return peer.ms;
    };
    const outDir = path.join(work, 'recvault');
    let auditEntries = 0;
    const recvaultRun = async (): Promise<number> => {
      removeScratch(outDir);
      await runChild('sync', []);
      const [node, args] = nodeTs('lib/export-child.ts', [
        dataDir,
        outDir,
        JSON.stringify(options),
      ]);
      const child = expectOk(await runChild(node, args, { timeoutMs: 900_000 }), 'Recvault export');
      const ended = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
        state: string;
        totals: { outputs: number; failures: number } | null;
        auditEntries: number;
      };
      if (
        ended.state !== 'done' ||
        ended.totals?.outputs !== COUNT ||
        ended.totals.failures !== 0
      ) {
        throw new Error(`Recvault export ended ${child.stdout}`);
      }
      auditEntries = ended.auditEntries;
      return child.ms;
    };
    const times = { recvault: [] as number[], peer: [] as number[] };
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate who goes first, so neither always meets a warmer cache or a cooler CPU.
      const order =
        round % 2 === 1 ? (['peer', 'recvault'] as const) : (['recvault', 'peer'] as const);
      for (const who of order) {
        const ms = who === 'peer' ? await peerRun() : await recvaultRun();
        times[who].push(ms);
        log(`${id} round ${round}: ${who} ${formatMs(ms)}`);
      }
    }
    const recvaultMs = median(times.recvault);
    const peer = { ms: median(times.peer) };
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
          target: '≥ 1.00× peer throughput',
          met: ratio >= 1,
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
        `Recvault's time is a child process from spawn to exit (like the peer's xargs): the engine opened on an archive a real sync made, ` +
          `the export manager's start and wait (the app's and the CLI's path): selection from the index, a probe of each source (read from the WAV header; ffprobe for other files), ` +
          `SHA-256 of each source checked against the archive's before its output is published, the conversion (with -progress, ` +
          `ffmpeg's own decoded/encoded sample counts giving exact source and output durations for the manifest), SHA-256 of each output, ` +
          `then manifest.csv, manifest.json and SHA256SUMS (${recvaultOut.files} files, ${formatBytes(recvaultOut.bytes)} written), ` +
          `the export row and audit entries (${auditEntries} in the index after the last round).`,
        `${ROUNDS} rounds alternating who goes first (odd rounds the peer), median of each; page cache warm for both, \`sync\` before each. ` +
          `All rounds (ms): Recvault ${times.recvault.map((t) => t.toFixed(0)).join(', ')}; peer ${times.peer.map((t) => t.toFixed(0)).join(', ')}.`,
      ],
    };
  },
);

if (import.meta.main) await runStandalone(run);
