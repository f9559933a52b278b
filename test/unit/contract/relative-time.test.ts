import { describe, expect, it } from 'vitest';
import { relativeMs, resolveWhen } from '../../../main/core/contract/relative-time.ts';

const NOW = new Date('2026-12-01T12:00:00.000Z');

describe('relative windows (--since 2d)', () => {
  it('counts minutes, hours, days and weeks back from now', () => {
    expect(resolveWhen('30m', NOW)).toBe('2026-12-01T11:30:00.000Z');
    expect(resolveWhen('12h', NOW)).toBe('2026-12-01T00:00:00.000Z');
    expect(resolveWhen('2d', NOW)).toBe('2026-11-29T12:00:00.000Z');
    expect(resolveWhen('1w', NOW)).toBe('2026-11-24T12:00:00.000Z');
    expect(relativeMs('6h')).toBe(6 * 3_600_000);
  });

  it('passes absolute dates through and refuses anything else', () => {
    expect(resolveWhen('2026-01-31', NOW)).toBe('2026-01-31');
    expect(resolveWhen('2026-01-31T09:00Z', NOW)).toBe('2026-01-31T09:00Z');
    for (const bad of ['2', 'd', '2days', '-2d', '2y', '2026-13-45', 'yesterday', '']) {
      expect(resolveWhen(bad, NOW), bad).toBeNull();
    }
    expect(relativeMs('2026-01-31')).toBeNull();
  });
});
