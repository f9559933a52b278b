// The Kallglot fake as the archive benchmarks use it: many recordings that share one stored
// body (seeding 1,000 × 3 MB stays cheap), or one large body built in memory.
import { startFakeKallglot } from '../../test/fakes/kallglot.ts';
import type { FakeKallglot, FakeKallglotRecording } from '../../test/fakes/kallglot.ts';

export const BENCH_KALLGLOT_KEY = 'sk_test_recvault_bench_key_0001';

export async function startBenchKallglot(latencyMs: number): Promise<FakeKallglot> {
  return startFakeKallglot({
    apiKey: BENCH_KALLGLOT_KEY,
    latencyMs,
    // The bench measures transfer and bookkeeping, not the provider's quota.
    rateLimitPerMinute: 1e9,
    urlTtlSec: 6 * 3600,
  });
}

export interface SeededBody {
  data: Buffer;
  format: string;
  contentType: string;
  durationSec: number;
  sampleRate: number;
}

export interface Seeded {
  sessionIds: string[];
  recordings: FakeKallglotRecording[];
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * Adds `sessions × perSession` ready recordings whose bytes are `body`. Each recording has its
 * own storage key (so its own signed URL), all pointing at the same Buffer.
 */
export function seedRecordings(
  fake: FakeKallglot,
  body: SeededBody,
  sessions: number,
  perSession: number,
  prefix = 'bench',
): Seeded {
  const channels = ['agent', 'customer', 'mixed'] as const;
  const now = Date.now();
  const sessionIds: string[] = [];
  const recordings: FakeKallglotRecording[] = [];
  for (let s = 0; s < sessions; s++) {
    const sessionId = `sess_${prefix}_${String(s).padStart(5, '0')}`;
    const ids: string[] = [];
    for (let r = 0; r < perSession; r++) {
      const n = s * perSession + r;
      const id = `rec_${prefix}_${String(n).padStart(6, '0')}`;
      const fileKey = `recordings/${id}.${body.format}`;
      const stored = fake.storage.putBuffer(fileKey, body.data, body.contentType);
      const recording: FakeKallglotRecording = {
        id,
        sessionId,
        channel: channels[r % channels.length]!,
        status: 'ready',
        format: body.format,
        contentType: body.contentType,
        size: body.data.length,
        sha256: stored.sha256,
        durationSec: body.durationSec,
        sampleRate: body.sampleRate,
        bitDepth: 16,
        createdAt: iso(now - 86400_000 + n * 1000),
        expiresAt: iso(now + 30 * 86400_000 + n * 60_000),
        downloadForm: 'redirect',
        fileKey,
      };
      fake.recordings.set(id, recording);
      ids.push(id);
      recordings.push(recording);
    }
    fake.sessions.set(sessionId, ids);
    sessionIds.push(sessionId);
  }
  return { sessionIds, recordings };
}

/** A PCM WAV header for `dataBytes` of 16-bit audio. */
export function wavHeader(dataBytes: number, sampleRate: number, channels: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(Math.min(0xffffffff, 36 + dataBytes), 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(Math.min(0xffffffff, dataBytes), 40);
  return header;
}
