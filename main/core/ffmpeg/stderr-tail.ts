// Keeps the last few lines a child process wrote to stderr: ffmpeg puts the actual reason for
// a failure at the end, after everything else it logged.
export class StderrTail {
  readonly #maxLines: number;
  #lines: string[] = [];
  #partial = '';

  constructor(maxLines = 20) {
    this.#maxLines = maxLines;
  }

  push(chunk: Buffer | string): void {
    const text = this.#partial + chunk.toString();
    const parts = text.split(/\r?\n|\r/);
    this.#partial = parts.pop() ?? '';
    for (const line of parts) this.#add(line);
  }

  /** Adds one whole line (already split by the caller). */
  pushLine(line: string): void {
    this.#add(line);
  }

  /** The last non-empty lines, joined by newlines (at most `count`, at most 2,000 chars). */
  reason(count = 4): string {
    const lines = [...this.#lines, this.#partial].filter((l) => l.trim() !== '');
    const text = lines.slice(-count).join('\n').trim();
    return text.length > 2000 ? `…${text.slice(-2000)}` : text;
  }

  #add(line: string): void {
    if (line.trim() === '') return;
    this.#lines.push(line);
    if (this.#lines.length > this.#maxLines) this.#lines.shift();
  }
}
