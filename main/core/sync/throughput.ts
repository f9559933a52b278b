/** Bytes per second over a sliding window, for the queue's speed and ETA. */
export class ThroughputMeter {
  readonly #windowMs: number;
  readonly #samples: { at: number; bytes: number }[] = [];

  constructor(windowMs = 5000) {
    this.#windowMs = windowMs;
  }

  add(bytes: number, at = Date.now()): void {
    if (bytes > 0) this.#samples.push({ at, bytes });
    this.#trim(at);
  }

  bytesPerSecond(at = Date.now()): number {
    this.#trim(at);
    if (this.#samples.length === 0) return 0;
    const total = this.#samples.reduce((sum, s) => sum + s.bytes, 0);
    const span = Math.max(1000, at - this.#samples[0]!.at);
    return Math.round((total * 1000) / span);
  }

  #trim(at: number): void {
    while (this.#samples.length && at - this.#samples[0]!.at > this.#windowMs)
      this.#samples.shift();
  }
}

export function etaSeconds(remainingBytes: number, bytesPerSecond: number): number | null {
  if (remainingBytes <= 0) return 0;
  if (bytesPerSecond <= 0) return null;
  return Math.ceil(remainingBytes / bytesPerSecond);
}
