import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../app-error.ts';

/**
 * Only one process at a time downloads into a data directory: the app and a scheduled
 * `recvault sync` would otherwise fetch the same recordings and reset each other's in-flight
 * rows as "interrupted". The lock is a file holding the owner's pid; a lock whose owner is no
 * longer alive (a crash, a SIGKILL) is taken over.
 */
export class ArchiverLock {
  readonly #file: string;
  readonly #pid: number;
  #held = false;

  constructor(dataDir: string, pid = process.pid) {
    this.#file = path.join(dataDir, 'archiver.lock');
    this.#pid = pid;
  }

  get held(): boolean {
    return this.#held;
  }

  /** Takes the lock, or says which process holds it. */
  acquire(): void {
    if (this.#held) return;
    const holder = this.tryAcquire();
    if (holder !== null) {
      throw new AppError(
        'busy',
        `Another Recvault process (pid ${holder}) is archiving into this data directory. ` +
          'Wait for it to finish, or stop it, then try again.',
      );
    }
  }

  /** Takes the lock if free; returns the live holder's pid otherwise. */
  tryAcquire(): number | null {
    if (this.#held) return null;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.writeFileSync(this.#file, String(this.#pid), { flag: 'wx' });
        this.#held = true;
        process.once('exit', () => this.release());
        return null;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number(fs.readFileSync(this.#file, 'utf8').trim());
      if (holder === this.#pid) {
        this.#held = true;
        return null;
      }
      if (Number.isSafeInteger(holder) && holder > 0 && isAlive(holder)) return holder;
      // The owner died without releasing it: take it over.
      fs.rmSync(this.#file, { force: true });
    }
    throw new AppError('busy', 'Could not take the archiver lock.');
  }

  release(): void {
    if (!this.#held) return;
    this.#held = false;
    try {
      if (fs.readFileSync(this.#file, 'utf8').trim() === String(this.#pid)) fs.rmSync(this.#file);
    } catch {
      // Already gone.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
