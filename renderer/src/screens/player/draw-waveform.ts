export interface WaveformColors {
  wave: string;
  played: string;
  cursor: string;
}

/**
 * Draws peaks (0..1 per bucket) as bars: one channel mirrored around the middle, or for stereo
 * the agent (left) above the middle and the customer (right) below, so turns are visible.
 */
export function drawWaveform(
  context: CanvasRenderingContext2D,
  width: number,
  height: number,
  channels: number[][],
  progress: number,
  colors: WaveformColors,
): void {
  context.clearRect(0, 0, width, height);
  const first = channels[0];
  if (!first || first.length === 0) return;
  const buckets = first.length;
  const barWidth = width / buckets;
  const middle = height / 2;
  // Quiet recordings would draw as a flat line: scale so the loudest peak fills the height.
  const loudest = Math.max(0.05, ...channels.flatMap((peaks) => peaks));
  const scale = 0.95 / loudest;
  const playedX = progress * width;
  for (let i = 0; i < buckets; i++) {
    const x = i * barWidth;
    context.fillStyle = x < playedX ? colors.played : colors.wave;
    const top = (channels[0]?.[i] ?? 0) * scale * middle;
    const bottom =
      (channels.length > 1 ? (channels[1]?.[i] ?? 0) : (channels[0]?.[i] ?? 0)) * scale * middle;
    const w = Math.max(1, barWidth - (barWidth > 2 ? 1 : 0));
    context.fillRect(x, middle - Math.max(0.5, top), w, Math.max(0.5, top) + Math.max(0.5, bottom));
  }
  context.fillStyle = colors.cursor;
  context.fillRect(Math.min(width - 1, playedX), 0, 1, height);
}
