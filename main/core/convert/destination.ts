// Where an export's files go. Both kinds stage every file under a temporary name first, so a
// killed export never leaves a file that looks complete, and both refuse to touch files they
// did not write.
export interface ExportDestination {
  readonly kind: 'folder' | 'zip';
  /** The folder or the .zip file. */
  readonly path: string;
  /** Checks nothing it would write exists, then creates the staging area. */
  stage(outputNames: readonly string[]): Promise<void>;
  /** A fresh temporary path for one file in the staging area. */
  tempPath(): string;
  /** Publishes a finished temporary file under its final name. */
  commitFile(tempPath: string, name: string): Promise<void>;
  /** Writes and publishes a small text file (the manifests). */
  writeTextFile(name: string, content: string): Promise<void>;
  /** Completes the export; `order` is the order of entries where it matters (the zip). */
  finish(order: readonly string[], signal?: AbortSignal): Promise<{ zipSha256: string | null }>;
  /** Removes everything this export wrote, the staging area and any partial zip. */
  abort(): Promise<void>;
}

export type DestinationSpec = { kind: 'folder'; path: string } | { kind: 'zip'; path: string };

export class ExportConflictError extends Error {
  override readonly name = 'ExportConflictError';
  /** Names (or the zip path) that already exist and would have been written. */
  readonly conflicts: readonly string[];

  constructor(where: string, conflicts: readonly string[]) {
    const shown = conflicts.slice(0, 5).join(', ') + (conflicts.length > 5 ? ', …' : '');
    super(
      `Export refused: ${where} already contains ${shown}. Choose an empty folder or new name.`,
    );
    this.conflicts = conflicts;
  }
}
