// Requests through the engine's one handler table, parsed by the contract's schemas exactly as
// Electron IPC and the bridge parse them, for tests that act as a user of the app would.
import { dispatchRequest } from '../../main/core/api/dispatch.ts';
import { openEngine, type Engine, type EngineOptions } from '../../main/core/engine.ts';
import type { RequestChannel } from '../../main/core/contract/channels.ts';
import type { RequestArgs, RequestResults } from '../../main/core/contract/requests.ts';
import type { JobView } from '../../main/core/contract/types.ts';
import { delay } from './async.ts';
import { newDataDir } from './engine.ts';

/** A real engine as the app opens it (its defaults), without in-run waits for the provider. */
export function openAppEngine(
  env: NodeJS.ProcessEnv,
  options: Partial<EngineOptions> = {},
): Promise<Engine> {
  return openEngine({ dataDir: newDataDir(), env, maxInRunWaitMs: 0, ...options });
}

/** A request the engine refused, with the code the transport would carry. */
export class RequestRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** Sends one request; resolves with its value, rejects with RequestRefused when refused. */
export async function request<K extends RequestChannel>(
  engine: Engine,
  channel: K,
  args: RequestArgs<K>,
): Promise<RequestResults[K]> {
  const result = await dispatchRequest(engine.handlers, channel, args, (_, error) => {
    throw error;
  });
  if (!result.ok) throw new RequestRefused(result.code, result.message);
  return result.value as RequestResults[K];
}

/** The job as the queue lists it. */
export async function listedJob(engine: Engine, jobId: number): Promise<JobView> {
  const job = (await request(engine, 'jobsList', {})).find((j) => j.id === jobId);
  if (!job) throw new Error(`job ${jobId} is not listed`);
  return job;
}

/** Polls the queue until the job is neither queued nor running (as the UI would see it). */
export async function settledJob(
  engine: Engine,
  jobId: number,
  timeoutMs = 20_000,
): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await listedJob(engine, jobId);
    if (job.state !== 'running' && job.state !== 'queued') return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.state}`);
    await delay(25);
  }
}

/** Polls `probe` until it returns a value other than undefined. */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(10);
  }
}
