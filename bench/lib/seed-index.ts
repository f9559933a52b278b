// Fills a fresh archive index with synthetic recordings, fast: the real migrations (through
// openDatabase), then one prepared INSERT per row in large transactions, so the FTS triggers and
// every index of the real schema do their work. Deterministic (seeded PRNG): the same count
// always gives the same rows.
import { addAccount } from '../../main/core/db/accounts.ts';
import { openDatabase } from '../../main/core/db/open-database.ts';
import type { Db } from '../../main/core/db/sqlite.ts';

export interface SeedSummary {
  rows: number;
  ms: number;
  accountIds: number[];
  /** Remote ids of every 997th row, for searches that must find something. */
  sampleRemoteIds: string[];
  samplePhones: string[];
}

const DAY = 86400_000;
const TAGS = ['urgent', 'legal-hold', 'qa-review', 'training', 'complaint'];
const NOTES = [
  'Customer asked for a refund of the annual plan',
  'Escalated billing dispute, keep for legal',
  'Agent forgot the compliance disclosure',
  'Great call, use for onboarding',
];

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedIndex(
  dbPath: string,
  count: number,
  options: { batch?: number } = {},
): SeedSummary {
  const db = openDatabase(dbPath);
  try {
    return seedInto(db, count, options.batch ?? 20_000);
  } finally {
    db.close();
  }
}

function seedInto(db: Db, count: number, batch: number): SeedSummary {
  const start = performance.now();
  // A bulk-load connection: a large page cache (the default 2 MB thrashes between the FTS
  // segments and the eight b-tree indexes).
  db.pragma(`cache_size = ${process.env.BENCH_CACHE ?? -512_000}`);
  const accounts = [
    addAccount(db, {
      provider: 'kallglot',
      name: 'Kallglot EU',
      settings: { baseUrl: 'https://api.kallglot.example' },
      secretRef: 'env:KALLGLOT_KEY',
    }),
    addAccount(db, {
      provider: 'koreai',
      name: 'Kore.ai support bot',
      settings: { host: 'https://bots.kore.example', botId: 'st-1234', clientId: 'cs-5678' },
      secretRef: 'env:KOREAI_SECRET',
    }),
    addAccount(db, {
      provider: 'envoy',
      name: 'Envoy sales',
      settings: { baseUrl: 'https://api.envoy.example', organizationId: null },
      secretRef: 'env:ENVOY_KEY',
    }),
  ];
  const insert = db.prepare(`
    INSERT INTO recordings (
      account_id, provider, remote_id, session_id, call_id, user_id, channel, provider_status,
      remote_status, format, content_type, size, duration_sec, sample_rate, bit_depth,
      recorded_at, created_at, expires_at, phone_numbers, provider_file_name, raw_json,
      local_path, local_size, sha256, archived_at, state, last_error, attempts, notes, tags,
      discovered_at, updated_at
    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const random = prng(0x5eed);
  const hex = (digits: number): string => {
    let out = '';
    while (out.length < digits)
      out += Math.floor(random() * 2 ** 32)
        .toString(16)
        .padStart(8, '0');
    return out.slice(0, digits);
  };
  const now = Date.now();
  const sampleRemoteIds: string[] = [];
  const samplePhones: string[] = [];
  const channels = ['mixed', 'agent', 'customer'] as const;
  let session = '';
  let user = '';

  const insertBatch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const which = i % 3;
      const account = accounts[which]!;
      const recorded = now - Math.floor(random() * 730 * DAY);
      const recordedAt = new Date(recorded).toISOString();
      const expiresAt = new Date(
        recorded + (30 + 30 * Math.floor(random() * 3)) * DAY,
      ).toISOString();
      if (i % 9 < 3) {
        session = which === 0 ? `sess_${hex(16)}` : hex(24);
        user = `user-${hex(6)}`;
      }
      const channel = channels[Math.floor(i / 3) % 3]!;
      let remoteId: string;
      let sessionId: string | null = null;
      let callId: string | null = null;
      let userId: string | null = null;
      let phones = '[]';
      let fileName: string | null = null;
      let format = 'wav';
      if (account.provider === 'kallglot') {
        remoteId = `rec_${hex(20)}`;
        sessionId = session;
        format = channel === 'mixed' ? 'mp3' : 'wav';
        fileName = `recording-${session}.${format}`;
      } else if (account.provider === 'koreai') {
        remoteId = `${hex(24)}_${channel}`;
        sessionId = session;
        userId = user;
      } else {
        const uuid = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
        remoteId = `call_${uuid}`;
        callId = remoteId;
        format = 'mp3';
        const a = `+1555${String(Math.floor(random() * 1e7)).padStart(7, '0')}`;
        const b = `+4420${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
        phones = JSON.stringify([a, b]);
        if (i % 997 === 2) samplePhones.push(a);
      }
      if (i % 997 === which) sampleRemoteIds.push(remoteId);
      const roll = random();
      const state =
        roll < 0.85
          ? 'archived'
          : roll < 0.9
            ? 'discovered'
            : roll < 0.94
              ? 'pending'
              : roll < 0.97
                ? 'failed'
                : 'gone';
      const duration = 30 + Math.floor(random() * 1800);
      const size = duration * (format === 'mp3' ? 8000 : 32000);
      const archived = state === 'archived';
      const tags = random() < 0.05 ? JSON.stringify([TAGS[i % TAGS.length]]) : '[]';
      const notes = random() < 0.02 ? NOTES[i % NOTES.length]! : '';
      insert.run(
        account.id,
        account.provider,
        remoteId,
        sessionId,
        callId,
        userId,
        channel,
        state === 'gone' ? 'deleted' : state === 'failed' ? 'failed' : 'ready',
        state === 'gone'
          ? 'gone'
          : state === 'failed'
            ? 'failed'
            : state === 'pending'
              ? 'pending'
              : 'ready',
        format,
        format === 'mp3' ? 'audio/mpeg' : 'audio/wav',
        size,
        duration,
        format === 'mp3' ? 44100 : 16000,
        16,
        recordedAt,
        recordedAt,
        expiresAt,
        phones,
        fileName,
        archived ? `${account.id}/${recordedAt.slice(0, 7)}/${remoteId}.${format}` : null,
        archived ? size : null,
        archived ? hex(64) : null,
        archived ? new Date(recorded + DAY).toISOString() : null,
        state,
        state === 'failed' ? 'The provider failed to produce the recording.' : null,
        state === 'failed' ? 3 : archived ? 1 : 0,
        notes,
        tags,
        recordedAt,
        recordedAt,
      );
    }
  });
  // The FTS trigger runs once per INSERT statement, and each statement's savepoint makes FTS5
  // flush a tiny segment; with contentless_delete=1 every later insert then costs more (see the
  // index-scale notes). A bulk load therefore builds the search rows in one statement with the
  // trigger's own expression (`FROM recordings AS new`), then puts the trigger back unchanged.
  const trigger = db
    .prepare(
      `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'recordings_fts_insert'`,
    )
    .get() as { sql: string };
  const values = /VALUES\s*\(([\s\S]*)\);\s*END\s*$/i.exec(trigger.sql)?.[1];
  if (!values) throw new Error('recordings_fts_insert has an unexpected shape');
  db.exec('DROP TRIGGER recordings_fts_insert');
  try {
    for (let from = 0; from < count; from += batch)
      insertBatch(from, Math.min(count, from + batch));
    db.exec(`INSERT INTO recordings_fts (rowid, ids, file_name, phones, notes, tags)
             SELECT ${values} FROM recordings AS new`);
  } finally {
    db.exec(trigger.sql);
  }
  db.pragma('optimize');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return {
    rows: count,
    ms: performance.now() - start,
    accountIds: accounts.map((a) => a.id),
    sampleRemoteIds,
    samplePhones,
  };
}
