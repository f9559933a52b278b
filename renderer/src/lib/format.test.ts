import { afterEach, describe, expect, it } from 'vitest';
import { formatDateTime, headAndTail, shortenMiddle } from './format.ts';
import { displayTimeZone, setDisplayTimeZone, systemTimeZone } from './time-zone.svelte.ts';

describe('shortenMiddle', () => {
  it('keeps the start and the end of a long id, with one ellipsis in the middle', () => {
    const id = 'sess_demo_standard_0042_a91f';
    const short = shortenMiddle(id, 12);
    expect(short).toBe('sess_de…a91f');
    expect([...short]).toHaveLength(12);
    expect(short.startsWith('sess_de')).toBe(true);
    expect(short.endsWith('a91f')).toBe(true);
  });

  it('gives back an id that fits unchanged', () => {
    expect(shortenMiddle('rec_1', 12)).toBe('rec_1');
    expect(shortenMiddle('123456789012', 12)).toBe('123456789012');
  });

  it('tells apart ids that differ only at the end', () => {
    const a = shortenMiddle('sess_demo_standard_0001', 12);
    const b = shortenMiddle('sess_demo_standard_0002', 12);
    expect(a).not.toBe(b);
  });

  it('never splits a character made of two code units', () => {
    const short = shortenMiddle('😀😀😀😀😀😀😀😀😀😀', 5);
    expect([...short]).toEqual(['😀', '😀', '😀', '…', '😀']);
  });

  it('keeps at least one character each side however small the limit', () => {
    expect(shortenMiddle('abcdefgh', 1)).toBe('a…h');
  });
});

describe('formatDateTime', () => {
  afterEach(() => setDisplayTimeZone(null));

  it('writes one unambiguous format with the zone it is in', () => {
    expect(formatDateTime('2026-03-01T14:05:00Z', 'UTC')).toBe('2026-03-01 14:05 UTC');
    expect(formatDateTime('2026-03-01T14:05:00Z', 'Asia/Tokyo')).toBe('2026-03-01 23:05 GMT+9');
    // A 24-hour clock that starts at 00, never "24:30".
    expect(formatDateTime('2026-03-01T00:30:00Z', 'UTC')).toBe('2026-03-01 00:30 UTC');
  });

  it("uses the zone chosen in Settings, else the system's", () => {
    expect(displayTimeZone()).toBe(systemTimeZone());
    setDisplayTimeZone('America/New_York');
    expect(formatDateTime('2026-03-01T14:05:00Z')).toBe('2026-03-01 09:05 EST');
    setDisplayTimeZone(null);
    expect(formatDateTime('2026-03-01T14:05:00Z')).toBe(
      formatDateTime('2026-03-01T14:05:00Z', systemTimeZone()),
    );
  });

  it('says a date is unknown, and shows text it cannot read as it is', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('soon')).toBe('soon');
  });
});

describe('headAndTail', () => {
  it('splits a shortened id after its ellipsis, and a whole id before its last characters', () => {
    expect(headAndTail('sess_lap…a91f')).toEqual(['sess_lap…', 'a91f']);
    expect(headAndTail('sess_demo_0001')).toEqual(['sess_demo', '_0001']);
    expect(headAndTail('ab')).toEqual(['a', 'b']);
    expect(headAndTail('x')).toEqual(['x', '']);
  });
});
