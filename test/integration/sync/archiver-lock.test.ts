// The archiver lock between real processes: one holder at a time even when many race for a free
// or stale lock, a dead holder's lock is free at once, and a recorded pid that now belongs to
// another process (reused) does not keep anyone out.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArchiverLock } from '../../../main/core/sync/archiver-lock.ts';
import { tempDir } from '../../support/tmp.ts';

const CHILD = path.join(import.meta.dirname, '../../support/lock-child.ts');

interface Outcome {
  pid: number;
  held: boolean;
}

function contender(dataDir: string, signal: string, holdMs: number) {
  const child = spawn(process.execPath, [CHILD, dataDir, signal, String(holdMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let onReady: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (out.startsWith('ready\n')) onReady();
  });
  const outcome = new Promise<Outcome>((resolve, reject) =>
    child.once('close', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Outcome);
      } catch {
        reject(new Error(`lock child said: ${out}`));
      }
    }),
  );
  return { child, ready, outcome };
}

/** `count` processes, started together by one signal file, each trying the lock once. */
async function race(dataDir: string, count: number): Promise<Outcome[]> {
  const signal = path.join(tempDir(), 'go');
  const children = Array.from({ length: count }, () => contender(dataDir, signal, 800));
  await Promise.all(children.map((c) => c.ready)); // All loaded and polling.
  fs.writeFileSync(signal, '');
  return Promise.all(children.map((c) => c.outcome));
}

function holdInChild(dataDir: string): Promise<ChildProcess> {
  const signal = path.join(tempDir(), 'go');
  fs.writeFileSync(signal, '');
  const { child } = contender(dataDir, signal, 60_000);
  let said = '';
  return new Promise((resolve) =>
    child.stdout!.on('data', (d: string) => {
      said += d;
      if (said.includes('"held":true')) resolve(child);
    }),
  );
}

describe('archiver lock', () => {
  it('names the process that holds it, and is free the moment that process is killed', async () => {
    const dir = tempDir();
    const child = await holdInChild(dir);
    try {
      const ours = new ArchiverLock(dir);
      expect(ours.tryAcquire()).toMatchObject({ pid: child.pid });
      expect(() => ours.acquire()).toThrow(`pid ${child.pid}`);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      expect(ours.tryAcquire()).toBeNull();
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'archiver.lock'), 'utf8'))).toMatchObject({
        pid: process.pid,
      });
      ours.release();
      expect(fs.existsSync(path.join(dir, 'archiver.lock'))).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it.runIf(process.platform === 'linux')(
    'a holder killed but not yet reaped (a zombie, which kill -0 calls alive) keeps no one out',
    async () => {
      const dir = tempDir();
      const signal = path.join(tempDir(), 'go');
      fs.writeFileSync(signal, '');
      // sh starts the holder, then becomes `sleep`, which never reaps it: killed, it stays a zombie.
      const parent = spawn(
        'sh',
        [
          '-c',
          `"$0" "$1" "$2" "$3" 600000 & echo "pid $!"; exec sleep 30`,
          process.execPath,
          CHILD,
          dir,
          signal,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      try {
        let said = '';
        const holderPid = await new Promise<number>((resolve) =>
          parent.stdout!.setEncoding('utf8').on('data', (d: string) => {
            said += d;
            const pid = /pid (\d+)/.exec(said);
            if (pid && said.includes('"held":true')) resolve(Number(pid[1]));
          }),
        );
        process.kill(holderPid, 'SIGKILL');
        const state = () => fs.readFileSync(`/proc/${holderPid}/stat`, 'utf8').split(') ')[1]![0];
        for (let i = 0; i < 200 && state() !== 'Z'; i++)
          await new Promise((r) => setTimeout(r, 10));
        expect(state()).toBe('Z');
        // Its last threads may still be closing its files for a moment; then it is free, while
        // the zombie (kill -0 says alive) stays until `sleep` ends.
        const ours = new ArchiverLock(dir);
        let holder = ours.tryAcquire();
        for (let i = 0; i < 300 && holder !== null; i++) {
          await new Promise((r) => setTimeout(r, 10));
          holder = ours.tryAcquire();
        }
        expect(holder).toBeNull();
        expect(state()).toBe('Z');
        ours.release();
      } finally {
        parent.kill('SIGKILL');
      }
    },
  );

  it('a recorded pid now used by another, live process (a reused pid) keeps no one out', () => {
    const dir = tempDir();
    // What a holder killed long ago left, its pid since given to a process that is alive.
    fs.writeFileSync(path.join(dir, 'archiver.lock'), String(process.ppid));
    const ours = new ArchiverLock(dir);
    expect(ours.tryAcquire()).toBeNull();
    expect(ours.held).toBe(true);
    ours.release();
  });

  it.each([
    ['free', () => undefined],
    [
      'stale (its holder died)',
      (dir: string) => fs.writeFileSync(path.join(dir, 'archiver.lock'), '999999'),
    ],
  ])(
    'eight processes racing for a %s lock: exactly one gets it',
    async (_, prepare) => {
      for (let round = 0; round < 3; round++) {
        const dir = tempDir();
        prepare(dir);
        const outcomes = await race(dir, 8);
        expect(outcomes.filter((o) => o.held).length, JSON.stringify(outcomes)).toBe(1);
      }
    },
    60_000,
  );
});
