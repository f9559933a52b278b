import { describe, expect, it } from 'vitest';
import { ProgressParser, type FfmpegProgress } from '../../../main/core/ffmpeg/progress-parser.ts';
import { StderrTail } from '../../../main/core/ffmpeg/stderr-tail.ts';

describe('ProgressParser', () => {
  it('turns out_time_us into a fraction of the total, across split chunks', () => {
    const seen: FfmpegProgress[] = [];
    const parser = new ProgressParser(10, (p) => seen.push(p));
    parser.push('frame=0\nout_time_us=2500000\nout_time=00:00:02.500000\nspeed=41.2x\nprogr');
    parser.push('ess=continue\nout_time_us=N/A\nout_time=00:00:07.500000\nprogress=continue\n');
    parser.push('out_time_us=10000000\nprogress=end\n');
    expect(seen).toEqual([
      { outTimeSec: 2.5, fraction: 0.25, speed: 41.2, done: false },
      { outTimeSec: 7.5, fraction: 0.75, speed: null, done: false },
      { outTimeSec: 10, fraction: 1, speed: null, done: true },
    ]);
  });

  it('clamps past the end and gives no fraction without a known total', () => {
    const clamped: FfmpegProgress[] = [];
    new ProgressParser(1, (p) => clamped.push(p)).push('out_time_us=3000000\nprogress=continue\n');
    expect(clamped[0]?.fraction).toBe(1);
    const unknown: FfmpegProgress[] = [];
    const parser = new ProgressParser(null, (p) => unknown.push(p));
    parser.push('out_time_ms=1000000\nprogress=continue\nprogress=end\n');
    expect(unknown.map((p) => p.fraction)).toEqual([null, 1]);
    expect(unknown[0]?.outTimeSec).toBe(1);
  });
});

describe('StderrTail', () => {
  it('keeps the last non-empty lines as the reason', () => {
    const tail = new StderrTail(3);
    tail.push('line 1\nline 2\r\n\nline 3\nline ');
    tail.push('4\n');
    expect(tail.reason(2)).toBe('line 3\nline 4');
    expect(tail.reason(10)).toBe('line 2\nline 3\nline 4');
  });
});
