import type { CliIo } from './io.ts';
import { EXIT_OK } from './usage-error.ts';

/** What every command's help ends with: the options main.ts takes before or after it. */
export const GLOBAL_OPTIONS_HELP =
  'Global options, before or after the command: --data-dir DIR, --json, --quiet (-q: only errors).';

/** Prints a command's help; asking for help is a success. */
export function printHelp(io: CliIo, help: string): number {
  io.stdout.write(`${help}\n${GLOBAL_OPTIONS_HELP}\n`);
  return EXIT_OK;
}

/** Writes results as JSON for scripts or as text for people. */
export class Output {
  readonly #io: CliIo;
  readonly json: boolean;

  constructor(io: CliIo, json: boolean) {
    this.#io = io;
    this.json = json;
  }

  get isTty(): boolean {
    return Boolean(this.#io.stdout.isTTY) && !this.json && !this.quiet;
  }

  /**
   * --quiet: no text result, notes or progress; only errors (and problems()) on stderr. A --json
   * result is still written: a script that asked for it reads it.
   */
  get quiet(): boolean {
    return this.#io.quiet === true;
  }

  /** The command's result: JSON on stdout with --json, else the text lines. */
  result(value: unknown, text: () => string | string[]): void {
    if (this.quiet && !this.json) return;
    if (this.json) {
      this.#io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      return;
    }
    const lines = text();
    const body = Array.isArray(lines) ? lines.join('\n') : lines;
    if (body) this.#io.stdout.write(`${body}\n`);
  }

  /** Progress and notes for people: stderr, so stdout stays the result. */
  note(line: string): void {
    if (!this.json && !this.quiet) this.#io.stderr.write(`${line}\n`);
  }

  /**
   * What went wrong for single items (failed downloads, unexported files). Part of the result
   * text normally; under --quiet, where the result is not printed, these lines go to stderr.
   */
  problems(lines: readonly string[]): void {
    if (this.quiet && lines.length) this.#io.stderr.write(`${lines.join('\n')}\n`);
  }

  /** Rewrites one status line on a terminal. */
  status(line: string): void {
    if (this.isTty) this.#io.stderr.write(`\r\x1b[2K${line}`);
  }

  endStatus(): void {
    if (this.isTty) this.#io.stderr.write('\r\x1b[2K');
  }
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '-';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '-';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** Left-aligned columns for a text table. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
