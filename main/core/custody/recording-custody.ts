// The custody panel's service: a recording's file on this computer (its absolute path, and
// showing it in the file manager) and the exports that included it. The path always comes
// from the index row and the archive folder, never from the caller.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../app-error.ts';
import { assertSafeRelativePath, resolveInsideArchive } from '../archive/inside-archive.ts';
import type { RecordingCustodyView } from '../contract/recording-custody.ts';
import type { Recording } from '../db/recording-row.ts';
import { exportsOfRecording } from '../db/recording-exports.ts';
import type { Db } from '../db/sqlite.ts';

export interface RecordingCustodyDeps {
  db: Db;
  /** The index row, or AppError not_found. */
  recording: (id: number) => Recording;
  archiveDir: () => string;
  /** The platform's file manager (Electron's shell.showItemInFolder); absent in the bridge. */
  reveal?: ((absolutePath: string) => void) | undefined;
}

export class RecordingCustody {
  readonly #deps: RecordingCustodyDeps;

  constructor(deps: RecordingCustodyDeps) {
    this.#deps = deps;
  }

  async view(id: number): Promise<RecordingCustodyView> {
    const recording = this.#deps.recording(id);
    const filePath = this.#lexicalPath(recording);
    const found = filePath === null ? null : await stat(filePath).catch(() => null);
    return {
      recordingId: id,
      filePath,
      fileExists: found?.isFile() ?? false,
      canShowInFolder: this.#deps.reveal !== undefined,
      exports: exportsOfRecording(this.#deps.db, id),
    };
  }

  /** Opens the file manager on the archived file; refuses one that is not there. */
  async showInFolder(id: number): Promise<{ shown: boolean; path: string }> {
    const recording = this.#deps.recording(id);
    if (recording.state !== 'archived' || !recording.localPath) {
      throw new AppError('not_found', `Recording ${id} is not archived, so it has no file yet.`);
    }
    // Followed through symlinks and checked to stay inside the archive.
    const target = await resolveInsideArchive(this.#deps.archiveDir(), recording.localPath);
    const found = await stat(target).catch(() => null);
    if (!found?.isFile()) {
      throw new AppError(
        'not_found',
        `The file of recording ${id} is not in the archive at ${target}: run Verify to check the archive.`,
      );
    }
    const { reveal } = this.#deps;
    if (!reveal) return { shown: false, path: target };
    reveal(target);
    return { shown: true, path: target };
  }

  /** Where the file is meant to be, without touching the disk (the archive may be unplugged). */
  #lexicalPath(recording: Recording): string | null {
    if (recording.state !== 'archived' || !recording.localPath) return null;
    const segments = assertSafeRelativePath(recording.localPath);
    return path.join(path.resolve(this.#deps.archiveDir()), ...segments);
  }
}
