import { cachedStatement } from './statement-cache.ts';
import type { Db } from './sqlite.ts';
import { inTransaction } from './transaction.ts';

// The vault's day bundles (migration 014): the bundle objects and which recordings they cover.

/** A vaulted recording (media and sidecar both vaulted) that no bundle covers yet. */
export interface UnbundledRecording {
  recordingId: number | null;
  mediaKey: string;
  mediaSha256: string;
  sidecarKey: string;
  /** The sidecar's path in the local archive and the SHA-256 the vault holds for it. */
  sidecarPath: string;
  sidecarSha256: string;
  /** The later of the media's and the sidecar's retain-until in the vault. */
  retainUntil: string;
}

/** The next `limit` of them after the media key `after` (keyset paging, '' to start). */
export function unbundledRecordings(db: Db, limit: number, after = ''): UnbundledRecording[] {
  return cachedStatement(
    db,
    `SELECT m.recording_id AS recordingId, m.object_key AS mediaKey, m.sha256 AS mediaSha256,
       s.object_key AS sidecarKey, s.local_path AS sidecarPath, s.sha256 AS sidecarSha256,
       max(m.retain_until, s.retain_until) AS retainUntil
     FROM vault_items m
     JOIN vault_items s ON s.item = 'sidecar:' || m.recording_id AND s.state = 'vaulted'
     WHERE m.kind = 'media' AND m.state = 'vaulted'
       AND m.object_key > @after
       AND NOT EXISTS (SELECT 1 FROM vault_bundled b WHERE b.media_key = m.object_key)
     ORDER BY m.object_key LIMIT @limit`,
  ).all({ limit, after }) as UnbundledRecording[];
}

export interface BundleRow {
  objectKey: string;
  sha256: string;
  size: number;
  versionId: string | null;
  lockMode: string | null;
  retainUntil: string | null;
  /** True for a bundle this data directory wrote; false for one read at attach. */
  written: boolean;
}

/** A bundle and the recordings (media keys) it covers, in one transaction. */
export function recordBundle(
  db: Db,
  bundle: BundleRow,
  mediaKeys: readonly string[],
  now: Date = new Date(),
): void {
  inTransaction(db, () => {
    cachedStatement(
      db,
      `INSERT INTO vault_bundles (object_key, sha256, size, version_id, lock_mode, retain_until,
         recordings, written, at)
       VALUES (@objectKey, @sha256, @size, @versionId, @lockMode, @retainUntil, @recordings,
         @written, @at)
       ON CONFLICT (object_key) DO NOTHING`,
    ).run({
      ...bundle,
      written: bundle.written ? 1 : 0,
      recordings: mediaKeys.length,
      at: now.toISOString(),
    });
    const cover = cachedStatement(
      db,
      `INSERT INTO vault_bundled (media_key, bundle_key) VALUES (?, ?)
       ON CONFLICT (media_key) DO NOTHING`,
    );
    for (const key of mediaKeys) cover.run(key, bundle.objectKey);
  });
}

export function bundleCount(db: Db): number {
  return cachedStatement(db, `SELECT count(*) FROM vault_bundles`).pluck().get() as number;
}
