import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addAccount } from '../../main/core/db/accounts.ts';
import { openDatabase } from '../../main/core/db/open-database.ts';
import type { Db } from '../../main/core/db/sqlite.ts';
import type { RemoteRecording } from '../../main/core/providers/types.ts';

/** A fresh index in a temporary directory (a real file, so WAL applies). */
export function tempIndex(): { db: Db; path: string; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'recvault-db-'));
  const path = join(dir, 'index.sqlite');
  const db = openDatabase(path);
  return {
    db,
    path,
    dir,
    cleanup: () => {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function kallglotAccount(db: Db, name = 'Kallglot prod'): number {
  return addAccount(db, {
    name,
    provider: 'kallglot',
    settings: { baseUrl: 'https://api.kallglot.com' },
    secretRef: 'safe-storage:kallglot-prod',
  }).id;
}

export function envoyAccount(db: Db, name = 'Envoy'): number {
  return addAccount(db, {
    name,
    provider: 'envoy',
    settings: { baseUrl: 'https://tryenvoy.ai/api/v1', organizationId: 'org_1' },
  }).id;
}

export function kallglotRecording(overrides: Partial<RemoteRecording> = {}): RemoteRecording {
  return {
    provider: 'kallglot',
    remoteId: 'rec_abc123',
    sessionId: 'sess_xyz789',
    callId: null,
    userId: null,
    channel: 'mixed',
    status: 'ready',
    providerStatus: 'ready',
    format: 'mp3',
    contentType: 'audio/mpeg',
    size: 1_000_000,
    durationSec: 120,
    sampleRate: 44_100,
    bitDepth: 16,
    recordedAt: '2024-03-01T10:00:00Z',
    createdAt: '2024-03-01T10:02:00Z',
    expiresAt: '2024-03-31T10:00:00Z',
    phoneNumbers: [],
    providerFileName: 'recording-sess_xyz789.mp3',
    raw: { id: 'rec_abc123', object: 'recording' },
    ...overrides,
  };
}

export function envoyRecording(overrides: Partial<RemoteRecording> = {}): RemoteRecording {
  return {
    provider: 'envoy',
    remoteId: 'call_6f1c2b9e-0d3a-4e57-9a61-3c2f7d8e1a20',
    sessionId: null,
    callId: 'call_6f1c2b9e-0d3a-4e57-9a61-3c2f7d8e1a20',
    userId: null,
    channel: 'mixed',
    status: 'ready',
    providerStatus: 'AVAILABLE',
    format: 'm4a',
    contentType: 'audio/mp4',
    size: 2_000_000,
    durationSec: 300,
    sampleRate: null,
    bitDepth: null,
    recordedAt: '2024-03-02T09:00:00Z',
    createdAt: null,
    expiresAt: null,
    phoneNumbers: ['+15551234567', '+442071838750'],
    providerFileName: null,
    raw: { id: 'call_6f1c2b9e-0d3a-4e57-9a61-3c2f7d8e1a20' },
    ...overrides,
  };
}

export const SHA = 'a'.repeat(64);
