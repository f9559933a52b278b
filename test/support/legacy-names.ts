// Turns an archive into what versions before readable names left: every file named by the
// escaped id (`rec_5fdemo_5f0001.wav`, layout's safeSegment, as those versions called it), its
// sidecar beside it saying so, the index pointing there, and the naming scheme at 1. Run with
// the engine closed.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { safeSegment } from '../../main/core/archive/layout.ts';

export function toLegacyNames(dataDir: string): string[] {
  const archive = path.join(dataDir, 'archive');
  const db = new Database(path.join(dataDir, 'index.sqlite'));
  const legacy: string[] = [];
  try {
    const rows = db
      .prepare('SELECT id, remote_id, local_path FROM recordings WHERE local_path IS NOT NULL')
      .all() as { id: number; remote_id: string; local_path: string }[];
    for (const row of rows) {
      const folder = row.local_path.slice(0, row.local_path.lastIndexOf('/'));
      const ext = row.local_path.slice(row.local_path.lastIndexOf('.'));
      const old = `${folder}/${safeSegment(row.remote_id)}${ext}`;
      fs.renameSync(path.join(archive, row.local_path), path.join(archive, old));
      const sidecar = JSON.parse(
        fs.readFileSync(path.join(archive, `${row.local_path}.json`), 'utf8'),
      ) as { file: { relativePath: string } };
      sidecar.file.relativePath = old;
      fs.writeFileSync(path.join(archive, `${old}.json`), JSON.stringify(sidecar, null, 2) + '\n');
      fs.rmSync(path.join(archive, `${row.local_path}.json`));
      db.prepare('UPDATE recordings SET local_path = ? WHERE id = ?').run(old, row.id);
      legacy.push(old);
    }
    db.prepare('UPDATE archive_names SET scheme = 1').run();
  } finally {
    db.close();
  }
  return legacy;
}
