// Bates-style control numbers: the user's prefix and a zero-padded running number. Files are
// numbered in an order that depends only on what is produced (recording id, then output name),
// never on which conversion finished first, so the same production numbers the same way.
export const CONTROL_DIGITS = 8;

export function controlNumber(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(CONTROL_DIGITS, '0')}`;
}

export function productionOrder<T extends { recordingId: string; outputName: string }>(
  files: readonly T[],
): T[] {
  return [...files].sort(
    (a, b) =>
      Number(a.recordingId) - Number(b.recordingId) ||
      (a.outputName < b.outputName ? -1 : a.outputName > b.outputName ? 1 : 0),
  );
}
