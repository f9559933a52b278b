// Property-based fuzzing of every contract channel, through the one dispatcher every transport
// uses (Electron IPC, the bridge, the CLI), on a real engine with a real archive (one synced
// Kallglot session). For any argument value: no crash (an `internal` refusal or a report to
// onUnexpected), no unhandled rejection, a typed refusal or a result a transport can carry —
// and a refused request leaves the index and every file exactly as they were.
//
// Safety of the run itself: the process works in a temporary folder (cwd included), every
// string that would resolve outside it is moved inside before it is sent, and providers are
// reached only on 127.0.0.1 (any other host fails as offline).
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dispatchRequest } from '../../../main/core/api/dispatch.ts';
import { REQUEST_CHANNELS } from '../../../main/core/contract/channels.ts';
import { requestSchemas } from '../../../main/core/contract/requests.ts';
import type { ErrorCode, Result } from '../../../main/core/contract/result.ts';
import { openEngine, type Engine } from '../../../main/core/engine.ts';
import { createProviderClient } from '../../../main/core/providers/index.ts';
import {
  dualChannelSession,
  KALLGLOT_PRO_PER_MINUTE,
  startFakeKallglot,
  type FakeKallglot,
} from '../../fakes/kallglot.ts';
import { delay } from '../../support/async.ts';
import { anyArgs, nearValid, tellingString } from '../../support/near-valid.ts';
import { makeTempDir, removeDir } from '../../support/tmp.ts';

const RUNS_PER_CHANNEL = 200;
const TYPED_REFUSALS: readonly ErrorCode[] = [
  'unknown_channel',
  'invalid_arguments',
  'not_found',
  'conflict',
  'auth',
  'unreachable',
  'provider',
  'storage',
  'busy',
  'cancelled',
  'unsupported',
];

let root = '';
let dataDir = '';
let engine: Engine;
let fake: FakeKallglot;
const originalCwd = process.cwd();
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

/** Offline for every host but this machine's fakes. */
const loopbackOnly: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.hostname !== '127.0.0.1') {
    return Promise.reject(new TypeError(`fetch failed: the fuzz run reaches no ${url.hostname}`));
  }
  return fetch(input, init);
};

function inside(target: string): boolean {
  const relative = path.relative(root, path.resolve(target));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Strings for every field; any that would point outside the run's folder is moved inside. */
function strings(): fc.Arbitrary<string> {
  const places = [
    'exports/out.zip',
    'exports/out',
    'exports/no-extension',
    'data',
    'data/archive',
    'data/archive/inside.zip',
    'moved-archive',
  ].map((relative) => path.join(root, relative));
  return fc
    .oneof(
      { weight: 4, arbitrary: tellingString() },
      { weight: 1, arbitrary: fc.constantFrom(...places) },
    )
    .map((value) =>
      value.includes('\u0000') || inside(value) ? value : path.join(root, 'outside', value),
    );
}

/** What a refused request must not change: every row written, every file but the cache. */
function snapshot(): { changes: number; files: Record<string, string> } {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      // The cache is derived (drag copies, peaks) and may fill after a request returned.
      if (full === path.join(dataDir, 'cache')) continue;
      if (entry.isDirectory()) {
        files[`${path.relative(root, full)}/`] = 'dir';
        walk(full);
      } else if (!/index\.sqlite(-wal|-shm)?$/.test(entry.name)) {
        // Size, change time and inode: any write, replace or rename shows, without hashing
        // the archive thousands of times.
        const stat = fs.statSync(full, { bigint: true });
        files[path.relative(root, full)] = `${stat.size}:${stat.ctimeNs}:${stat.ino}`;
      }
    }
  };
  walk(root);
  const { n } = engine.db.prepare('SELECT total_changes() AS n').get() as { n: number };
  return { changes: n, files };
}

/** After an accepted request, waits until no job or export runs (cancelling a sync). */
async function settle(): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const jobs = engine.jobs.list().filter((job) => ['running', 'queued'].includes(job.state));
    const exports = engine.exports.list().filter((e) => ['running', 'queued'].includes(e.state));
    if (jobs.length === 0 && exports.length === 0) return;
    for (const job of jobs) await dispatchRequest(engine.handlers, 'jobCancel', { jobId: job.id });
    if (Date.now() > deadline) throw new Error('a job or export never settled');
    await delay(10);
  }
}

beforeAll(async () => {
  root = fs.realpathSync(await makeTempDir('fuzz-channels'));
  dataDir = path.join(root, 'data');
  fs.mkdirSync(path.join(root, 'cwd'));
  fs.mkdirSync(path.join(root, 'exports'));
  // Relative paths resolve here, inside the run's folder, never in the repository.
  process.chdir(path.join(root, 'cwd'));
  process.on('unhandledRejection', onUnhandled);
  // Pro tier: the fuzzer sends far more than the lowest tier's 60 calls a minute.
  fake = await startFakeKallglot({
    sessions: [dualChannelSession('sess_F1')],
    rateLimitPerMinute: KALLGLOT_PRO_PER_MINUTE,
  });
  engine = await openEngine({
    dataDir,
    env: { KALLGLOT_KEY: fake.apiKey },
    maxInRunWaitMs: 0,
    retryPendingLater: false,
    createClient: (config, deps) => createProviderClient(config, { ...deps, fetch: loopbackOnly }),
  });
  const account = engine.accounts.add(
    'kallglot',
    { name: 'Fuzz', baseUrl: fake.baseUrl },
    { secretEnv: 'KALLGLOT_KEY' },
  );
  // Through the contract, so the request's defaults are the ones every transport gets.
  const started = await dispatchRequest(engine.handlers, 'syncStart', {
    accountId: account.id,
    sessions: [{ id: 'sess_F1' }],
  });
  if (!started.ok) throw new Error(started.message);
  const job = started.value as { id: number };
  expect((await engine.jobs.wait(job.id)).totals).toMatchObject({ archived: 3 });
}, 60_000);

afterEach(() => {
  expect(unhandled).toEqual([]);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await engine?.close();
  await fake?.close();
  process.chdir(originalCwd);
  await removeDir(root);
});

describe('every contract channel, fuzzed', () => {
  for (const channel of REQUEST_CHANNELS) {
    it(`${channel}: a typed refusal that changes nothing, or a result a transport can carry`, async () => {
      const args = fc.oneof(
        { weight: 3, arbitrary: nearValid(requestSchemas[channel], strings()) },
        { weight: 1, arbitrary: anyArgs() },
      );
      await fc.assert(
        fc.asyncProperty(args, async (value) => {
          const before = snapshot();
          const unexpected: unknown[] = [];
          const result: Result<unknown> = await dispatchRequest(
            engine.handlers,
            channel,
            value,
            (_, error) => unexpected.push(error),
          );
          expect(unexpected, 'an unexpected error (a crash behind the boundary)').toEqual([]);
          if (result.ok) {
            // What IPC (structured clone) and the bridge (JSON) must be able to carry.
            structuredClone(result.value);
            JSON.stringify(result.value);
            await settle();
            return;
          }
          expect(TYPED_REFUSALS).toContain(result.code);
          expect(typeof result.message).toBe('string');
          expect(result.message.length).toBeGreaterThan(0);
          expect(snapshot(), 'a refused request changed the index or a file').toEqual(before);
        }),
        { numRuns: RUNS_PER_CHANNEL },
      );
    });
  }

  it('refuses channels the contract does not know', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.jsonValue()).filter((c) => !REQUEST_CHANNELS.includes(c as never)),
        anyArgs(),
        async (channel, value) => {
          const result = await dispatchRequest(engine.handlers, channel, value);
          expect(result).toMatchObject({ ok: false, code: 'unknown_channel' });
        },
      ),
      { numRuns: RUNS_PER_CHANNEL },
    );
  });
});
