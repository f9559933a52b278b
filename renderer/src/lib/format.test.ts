import { describe, expect, it } from 'vitest';
import { shortenMiddle } from './format.ts';

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
