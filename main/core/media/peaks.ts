import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { demuxerForFile, inputArgs } from '../ffmpeg/input.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../file-modes.ts';

export interface Peaks {
  /** One array per channel (1 or 2), `buckets` values from 0 to 1. */
  channels: number[][];
  durationSec: number;
}

const peaksSchema = z.object({
  channels: z.array(z.array(z.number())),
  durationSec: z.number(),
});

/** Decoding rate for peaks: plenty for a waveform, cheap to compute. */
const PEAK_SAMPLE_RATE = 4000;

/**
 * Waveform peaks of a recording, computed once with ffmpeg (decoded to 16-bit PCM at a low
 * rate, streamed, never held whole) and cached by the file's SHA-256.
 */
export async function recordingPeaks(options: {
  ffmpegPath: string;
  file: string;
  sha256: string;
  channels: 1 | 2;
  buckets: number;
  cacheDir: string;
  signal?: AbortSignal;
}): Promise<Peaks> {
  const cacheFile = path.join(
    options.cacheDir,
    'peaks',
    `${options.sha256}-${options.channels}-${options.buckets}.json`,
  );
  try {
    return peaksSchema.parse(JSON.parse(await fs.promises.readFile(cacheFile, 'utf8')));
  } catch {
    // Not cached yet (or unreadable): compute it.
  }
  const peaks = await computePeaks(options);
  await fs.promises.mkdir(path.dirname(cacheFile), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = `${cacheFile}.${process.pid}.tmp`;
  await fs.promises.writeFile(temp, JSON.stringify(peaks), { mode: PRIVATE_FILE_MODE });
  await fs.promises.rename(temp, cacheFile);
  return peaks;
}

function computePeaks(options: {
  ffmpegPath: string;
  file: string;
  channels: 1 | 2;
  buckets: number;
  signal?: AbortSignal;
}): Promise<Peaks> {
  const { channels, buckets } = options;
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    ...inputArgs(options.file, demuxerForFile(options.file)),
    '-vn',
    '-ac',
    String(channels),
    '-ar',
    String(PEAK_SAMPLE_RATE),
    '-f',
    's16le',
    '-acodec',
    'pcm_s16le',
    'pipe:1',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(options.ffmpegPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
      signal: options.signal,
    });
    // Peaks per fixed block of frames, folded into `buckets` at the end once the length is known.
    const blockFrames = 40;
    const blocks: number[][] = Array.from({ length: channels }, () => []);
    let blockMax = new Array<number>(channels).fill(0);
    let frameInBlock = 0;
    let frames = 0;
    let carry: Buffer = Buffer.alloc(0);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const frameBytes = 2 * channels;
      const usable = data.length - (data.length % frameBytes);
      for (let offset = 0; offset < usable; offset += frameBytes) {
        for (let c = 0; c < channels; c++) {
          const v = Math.abs(data.readInt16LE(offset + 2 * c)) / 32768;
          if (v > blockMax[c]!) blockMax[c] = v;
        }
        frames++;
        if (++frameInBlock === blockFrames) {
          for (let c = 0; c < channels; c++) blocks[c]!.push(blockMax[c]!);
          blockMax = new Array<number>(channels).fill(0);
          frameInBlock = 0;
        }
      }
      carry = data.subarray(usable);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(
          new Error(`ffmpeg could not read the recording: ${stderr.trim() || `exit ${code}`}`),
        );
        return;
      }
      if (frameInBlock > 0) for (let c = 0; c < channels; c++) blocks[c]!.push(blockMax[c]!);
      resolve({
        channels: blocks.map((b) => fold(b, buckets)),
        durationSec: frames / PEAK_SAMPLE_RATE,
      });
    });
  });
}

/** Reduces block peaks to exactly `buckets` values by taking each bucket's maximum. */
function fold(blocks: number[], buckets: number): number[] {
  const out = new Array<number>(buckets).fill(0);
  if (blocks.length === 0) return out;
  for (let i = 0; i < blocks.length; i++) {
    const b = Math.min(buckets - 1, Math.floor((i * buckets) / blocks.length));
    if (blocks[i]! > out[b]!) out[b] = blocks[i]!;
  }
  return out.map((v) => Math.round(v * 1000) / 1000);
}
