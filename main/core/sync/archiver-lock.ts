import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../app-error.ts';
import { tryOsFileLock, type OsFileLock } from '../db/os-file-lock.ts';
import { writeFileDurableSync } from '../durable/write-durable.ts';
import { processStartTime } from './process-start.ts';

/** Who holds the lock, as its holder wrote it down (`archiver.lock`, JSON). */
const holderSchema = z.object({
  pid: z.number().int().positive(),
  /** processStartTime(pid) when it took the lock: a later process with the same pid differs. */
  startTime: z.string().nullable(),
  /** What it is: the app, or the command line that runs. */
  program: z.string(),
  since: z.string(),
});
export type LockHolder = z.infer<typeof holderSchema>;

/**
 * Only one process at a time downloads into (or moves) a data directory's archive: the app and a
 * scheduled `recvault sync` would otherwise fetch the same recordings and reset each other's
 * in-flight rows as "interrupted". The lock itself is an OS lock on `archiver.lock.sqlite`, which
 * the kernel releases when its process ends, so takeover needs no guess about a dead pid and two
 * processes can never both take over a stale lock. Beside it `archiver.lock` names the holder
 * (pid, start time, program) for the message a refused process shows.
 */
export class ArchiverLock {
  readonly #lockFile: string;
  readonly #holderFile: string;
  readonly #program: string;
  #held: OsFileLock | null = null;
  /** This process is moving the archive: its own syncs must not start either. */
  #moving = false;
  #exitHook = false;

  constructor(dataDir: string, program = defaultProgram()) {
    this.#lockFile = path.join(dataDir, 'archiver.lock.sqlite');
    this.#holderFile = path.join(dataDir, 'archiver.lock');
    this.#program = program;
  }

  get held(): boolean {
    return this.#held !== null;
  }

  /** Takes the lock, or refuses (busy) naming the process that holds it. */
  acquire(): void {
    if (this.#moving) {
      throw new AppError(
        'busy',
        'The archive is being moved to another folder: try again when the move is done.',
      );
    }
    const holder = this.tryAcquire();
    if (holder !== null) throw new AppError('busy', busyMessage(holder));
  }

  /**
   * Takes the lock for moving the archive: refused while anything holds it, this process's own
   * syncs included, and until the returned release, no sync of this process or another starts.
   */
  acquireForMove(): () => void {
    if (this.#moving || this.#held) {
      throw new AppError(
        'busy',
        'Pause or finish the running sync jobs before moving the archive.',
      );
    }
    this.acquire();
    this.#moving = true;
    return () => {
      this.#moving = false;
      this.release();
    };
  }

  /** Takes the lock if free; otherwise returns who holds it (null fields when unknown). */
  tryAcquire(): LockHolder | null {
    if (this.#held) return null;
    const lock = tryOsFileLock(this.#lockFile);
    if (lock === null) return this.holder() ?? unknownHolder();
    this.#held = lock;
    const me: LockHolder = {
      pid: process.pid,
      startTime: processStartTime(process.pid),
      program: this.#program,
      since: new Date().toISOString(),
    };
    writeFileDurableSync(this.#holderFile, JSON.stringify(me));
    // Once per lock, not per acquire: an app that syncs all day would pile up listeners.
    if (!this.#exitHook) {
      this.#exitHook = true;
      process.once('exit', () => this.release());
    }
    return null;
  }

  /** The recorded holder, if it is still the process that wrote the record. */
  holder(): LockHolder | null {
    let recorded: LockHolder;
    try {
      recorded = holderSchema.parse(JSON.parse(fs.readFileSync(this.#holderFile, 'utf8')));
    } catch {
      return null; // None yet, an older Recvault's bare pid, or half of one: unknown.
    }
    const now = processStartTime(recorded.pid);
    if (recorded.startTime !== null && now !== recorded.startTime) return null;
    return recorded;
  }

  release(): void {
    if (!this.#held) return;
    fs.rmSync(this.#holderFile, { force: true });
    this.#held.release();
    this.#held = null;
  }
}

function unknownHolder(): LockHolder {
  return { pid: 0, startTime: null, program: 'another Recvault process', since: '' };
}

function defaultProgram(): string {
  const script = process.argv[1] ? path.basename(process.argv[1]) : path.basename(process.argv0);
  // The CLI runs as bin/recvault.js (or out/main/cli.js); anything else is the app or the bridge.
  return /^(recvault|cli)\.js$/.test(script)
    ? `recvault ${process.argv[2] ?? ''}`.trim()
    : 'The Recvault app';
}

/** The refusal a busy lock gives: who holds it, since when, and what to do. */
export function busyMessage(holder: LockHolder): string {
  const who =
    holder.pid > 0
      ? `${holder.program} (pid ${holder.pid}, since ${holder.since})`
      : 'Another Recvault process';
  return (
    `${who} is archiving into this data directory. ` +
    'Wait for it to finish (recvault sync --wait waits), or stop it, then try again.'
  );
}
