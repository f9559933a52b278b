// Paths that come from the renderer (or the command line) are checked before anything is
// written there: absolute only, a zip named .zip, never into the data directory or the
// archive (by real path), and in the desktop app only what its native pickers returned.
import path from 'node:path';
import { AppError } from '../app-error.ts';
import { isWithin, realPathNearest } from './real-path.ts';

export interface DestinationGuardDeps {
  dataDir: string;
  /** Where a fresh data directory keeps its archive (moving back there is allowed). */
  defaultArchiveDir: string;
  archiveDir: () => string;
  /**
   * The desktop app: destinations come from its native pickers, so only a path a picker
   * returned (exactly) is accepted; a compromised renderer cannot name one itself.
   */
  pickersOnly: boolean;
  /**
   * The last export's destination (settings): a path a picker returned once, which the export
   * dialog offers again, so the desktop app accepts it without a new pick.
   */
  remembered?: () => Destination | null;
}

export type Destination = { kind: 'folder' | 'zip'; path: string };

const refuse = (message: string): AppError => new AppError('invalid_arguments', message);

export class DestinationGuard {
  readonly #deps: DestinationGuardDeps;
  readonly #picked = { folder: new Set<string>(), zip: new Set<string>() };

  constructor(deps: DestinationGuardDeps) {
    this.#deps = deps;
  }

  /** Remembers what a native picker returned, exactly as returned. */
  picked(kind: 'folder' | 'zip', chosen: string | null): string | null {
    if (chosen !== null) this.#picked[kind].add(chosen);
    return chosen;
  }

  /**
   * An export's destination, checked; the path as given (it is absolute). `recorded`: the path
   * is the engine's own record of an earlier export (a retry), not the renderer's.
   */
  async exportDestination(
    destination: Destination,
    { recorded = false }: { recorded?: boolean } = {},
  ): Promise<Destination> {
    const what = destination.kind === 'zip' ? 'zip file' : 'export folder';
    const last = this.#deps.remembered?.() ?? null;
    const isLast = last?.kind === destination.kind && last.path === destination.path;
    if (!recorded && !isLast) this.#fromPicker(destination.kind, destination.path, what);
    const given = absolute(destination.path, what);
    if (destination.kind === 'zip' && !/\.zip$/i.test(given)) {
      throw refuse(`The zip file's name must end in .zip (${given}).`);
    }
    const real = await realPathNearest(given);
    await this.#outsideRecvault(real, given, what);
    return { kind: destination.kind, path: given };
  }

  /** A new archive folder, checked; the path as given (it is absolute). */
  async archiveTarget(target: string): Promise<string> {
    // The settings form sends the folder it shows; unchanged, nothing moves.
    if (target === this.#deps.archiveDir()) return target;
    this.#fromPicker('folder', target, 'archive folder');
    const given = absolute(target, 'archive folder');
    const real = await realPathNearest(given);
    const archive = await realPathNearest(this.#deps.archiveDir());
    if (isWithin(real, archive) && real !== archive) {
      throw refuse(`The new archive folder cannot be inside the current one (${given}).`);
    }
    if (real !== archive && isWithin(archive, real)) {
      throw refuse(`The new archive folder cannot hold the current one (${given}).`);
    }
    const dataDir = await realPathNearest(this.#deps.dataDir);
    const home = await realPathNearest(this.#deps.defaultArchiveDir);
    if (isWithin(real, dataDir) && real !== home) {
      throw refuse(
        `The archive cannot go inside Recvault's data folder (${this.#deps.dataDir}), except back to ${this.#deps.defaultArchiveDir}.`,
      );
    }
    return given;
  }

  #fromPicker(kind: 'folder' | 'zip', chosen: string, what: string): void {
    if (this.#deps.pickersOnly && !this.#picked[kind].has(chosen)) {
      throw refuse(
        `Choose the ${what} with the app's ${kind === 'zip' ? 'Save' : 'folder'} dialog.`,
      );
    }
  }

  async #outsideRecvault(real: string, given: string, what: string): Promise<void> {
    const archive = await realPathNearest(this.#deps.archiveDir());
    if (isWithin(real, archive)) {
      throw refuse(
        `The ${what} cannot be inside the archive (${given} is in ${this.#deps.archiveDir()}).`,
      );
    }
    const dataDir = await realPathNearest(this.#deps.dataDir);
    if (isWithin(real, dataDir)) {
      throw refuse(`The ${what} cannot be inside Recvault's data folder (${this.#deps.dataDir}).`);
    }
  }
}

function absolute(given: string, what: string): string {
  if (given.includes('\0') || !path.isAbsolute(given)) {
    throw refuse(`The ${what} must be an absolute path (${JSON.stringify(given)} is not).`);
  }
  return path.normalize(given);
}
