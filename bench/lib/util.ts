// Small helpers shared by the benchmarks: timing, percentiles, child processes with peak-RSS
// sampling, the scratch folder, and formatting.
import { spawn } from 'node:child_process';
import type { SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BENCH_DIR = path.join(REPO_ROOT, 'bench');
/** Large generated data lives here (gitignored) and is removed by each bench when it ends. */
export const WORK_DIR = path.join(BENCH_DIR, '.work');

/** A fresh, empty scratch folder `bench/.work/<name>`. */
export function scratch(name: string): string {
  const dir = path.join(WORK_DIR, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function removeScratch(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value };
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Wall time from spawn to exit. */
  ms: number;
  stdout: string;
  stderr: string;
  /** Highest VmRSS seen in /proc/<pid>/status (bytes), sampled every `rssEveryMs`. */
  peakRssBytes: number | null;
  /** The kernel's own high-water mark (VmHWM) at the last sample before exit, in bytes. */
  hwmBytes: number | null;
}

export interface RunChildOptions extends SpawnOptions {
  /** Sample the child's memory every N ms (default: not sampled). */
  rssEveryMs?: number;
  /** Fail (kill the child) after this long. */
  timeoutMs?: number;
  /** Written to stdin, then closed. */
  input?: string;
}

function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Runs a command to its end, timing it and (optionally) sampling its resident memory. */
export function runChild(
  command: string,
  args: readonly string[],
  options: RunChildOptions = {},
): Promise<ChildRun> {
  const { rssEveryMs, timeoutMs, input, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, {
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...spawnOptions,
    });
    let stdout = '';
    let stderr = '';
    let peakKb: number | null = null;
    let hwmKb: number | null = null;
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (input !== undefined) child.stdin?.end(input);
    const sample = (): void => {
      if (child.pid === undefined) return;
      const rss = readStatusKb(child.pid, 'VmRSS');
      const hwm = readStatusKb(child.pid, 'VmHWM');
      if (rss !== null) peakKb = Math.max(peakKb ?? 0, rss);
      if (hwm !== null) hwmKb = Math.max(hwmKb ?? 0, hwm);
    };
    const sampler = rssEveryMs ? setInterval(sample, rssEveryMs) : null;
    const killer = timeoutMs
      ? setTimeout(() => {
          stderr += `\n[bench] killed after ${timeoutMs} ms`;
          child.kill('SIGKILL');
        }, timeoutMs)
      : null;
    child.once('error', (error) => {
      if (sampler) clearInterval(sampler);
      if (killer) clearTimeout(killer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      const ms = performance.now() - start;
      if (sampler) clearInterval(sampler);
      if (killer) clearTimeout(killer);
      // Let the pipes drain before resolving.
      setImmediate(() =>
        resolve({
          code,
          signal,
          ms,
          stdout,
          stderr,
          peakRssBytes: peakKb === null ? null : peakKb * 1024,
          hwmBytes: hwmKb === null ? null : hwmKb * 1024,
        }),
      );
    });
  });
}

/** Throws with the child's output when it did not exit 0. */
export function expectOk(run: ChildRun, what: string): ChildRun {
  if (run.code !== 0) {
    throw new Error(
      `${what} exited ${run.code ?? run.signal}\n${run.stderr.slice(-2000)}\n${run.stdout.slice(-1000)}`,
    );
  }
  return run;
}

/**
 * The Node binary and arguments that run a .ts bench helper in a child process. Extra Node
 * flags for profiling come from BENCH_CHILD_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
export function nodeTs(script: string, args: readonly string[] = []): [string, string[]] {
  return [process.execPath, [...childNodeFlags(), path.join(BENCH_DIR, script), ...args]];
}

export function childNodeFlags(): string[] {
  return (process.env.BENCH_CHILD_FLAGS ?? '').split(/\s+/).filter(Boolean);
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 100 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–';
}

/** Total size of the regular files below `dir`, and how many there are. */
export function folderSize(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}
