// What ffprobe would say about a plain PCM WAV file, read from its header without starting a
// process. Starting ffprobe costs about as much CPU as a tenth of a four-minute MP3 encode, and
// archived call recordings are mostly WAV. Only layouts whose every figure is exact from the
// header are answered (integer or float PCM, A-law, µ-law; a data chunk wholly inside the file);
// anything else returns null and the caller asks ffprobe.
import fs from 'node:fs/promises';
import type { MediaInfo } from './probe.ts';

/** Reads at most this many chunk headers looking for "fmt " and "data". */
const MAX_CHUNKS = 64;

export async function readWavInfo(file: string): Promise<MediaInfo | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return null;
  }
  try {
    const size = (await handle.stat()).size;
    const read = async (position: number, length: number): Promise<Buffer | null> => {
      if (position + length > size) return null;
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return bytesRead === length ? buffer : null;
    };
    const riff = await read(0, 12);
    if (!riff || riff.toString('latin1', 0, 4) !== 'RIFF') return null;
    if (riff.toString('latin1', 8, 12) !== 'WAVE') return null;

    let fmt: Buffer | null = null;
    let offset = 12;
    for (let i = 0; i < MAX_CHUNKS; i++) {
      const header = await read(offset, 8);
      if (!header) return null;
      const id = header.toString('latin1', 0, 4);
      const chunkSize = header.readUInt32LE(4);
      const body = offset + 8;
      if (id === 'data') {
        if (!fmt) return null;
        // 0 and 0xFFFFFFFF mean "unknown length" (a stream written on the fly): ffprobe then
        // estimates, which only ffprobe can reproduce.
        if (chunkSize === 0 || chunkSize === 0xffffffff || body + chunkSize > size) return null;
        return infoFrom(fmt, chunkSize);
      }
      if (id === 'fmt ') {
        if (fmt || chunkSize < 16 || chunkSize > 1024) return null;
        fmt = await read(body, chunkSize);
        if (!fmt) return null;
      } else if (id === 'ds64' || chunkSize % 2 === 1) {
        // RF64, or an odd-sized chunk whose pad byte readers disagree about.
        return null;
      }
      offset = body + chunkSize;
    }
    return null;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

function infoFrom(fmt: Buffer, dataBytes: number): MediaInfo | null {
  const tag = fmt.readUInt16LE(0);
  const channels = fmt.readUInt16LE(2);
  const sampleRate = fmt.readUInt32LE(4);
  const blockAlign = fmt.readUInt16LE(12);
  const bits = fmt.readUInt16LE(14);
  const codec = codecName(tag, bits);
  if (!codec || channels === 0 || sampleRate === 0) return null;
  if (blockAlign !== (channels * bits) / 8) return null;
  // ffmpeg's wav demuxer: sample count from the data size, duration rounded to microseconds.
  const samples = Math.floor((dataBytes * 8) / (channels * bits));
  if (samples === 0) return null;
  const durationSec = Math.round((samples * 1_000_000) / sampleRate) / 1_000_000;
  return {
    durationSec,
    format: 'wav',
    streams: [{ codec, type: 'audio', sampleRate, channels }],
  };
}

/** ffmpeg's codec for a WAVE format tag (1 PCM, 3 IEEE float, 6 A-law, 7 µ-law); else null. */
function codecName(tag: number, bits: number): string | null {
  if (tag === 1) {
    if (bits === 8) return 'pcm_u8';
    if (bits === 16 || bits === 24 || bits === 32) return `pcm_s${bits}le`;
  }
  if (tag === 3 && (bits === 32 || bits === 64)) return `pcm_f${bits}le`;
  if (tag === 6 && bits === 8) return 'pcm_alaw';
  if (tag === 7 && bits === 8) return 'pcm_mulaw';
  return null;
}
