import { describe, expect, it } from 'vitest';
import { Selection } from './selection.svelte.ts';

const ids = [10, 11, 12, 13, 14, 15];
const plain = { shift: false, toggle: false };
const shift = { shift: true, toggle: false };
const toggle = { shift: false, toggle: true };

describe('Selection', () => {
  it('a plain click selects only that row', () => {
    const s = new Selection();
    s.click(ids, 1, plain);
    s.click(ids, 3, plain);
    expect([...s.ids]).toEqual([13]);
  });

  it('shift-click selects the range from the anchor, either direction', () => {
    const s = new Selection();
    s.click(ids, 4, plain);
    s.click(ids, 1, shift);
    expect([...s.ids].sort()).toEqual([11, 12, 13, 14]);
    // The anchor stays: a second shift-click re-draws the range from it.
    s.click(ids, 5, shift);
    expect([...s.ids].sort()).toEqual([14, 15]);
  });

  it('ctrl/cmd-click toggles single rows and moves the anchor', () => {
    const s = new Selection();
    s.click(ids, 0, plain);
    s.click(ids, 0, toggle);
    s.click(ids, 2, toggle);
    expect([...s.ids]).toEqual([12]);
    expect(s.anchorId).toBe(12);
    s.click(ids, 4, { shift: true, toggle: true });
    expect([...s.ids].sort()).toEqual([12, 13, 14]);
  });

  it('shift-click with no anchor selects the row alone', () => {
    const s = new Selection();
    s.click(ids, 3, shift);
    expect([...s.ids]).toEqual([13]);
  });

  it('select all results covers rows not loaded yet, until a click narrows it', () => {
    const s = new Selection();
    s.selectAllResults();
    expect(s.isSelected(999)).toBe(true);
    expect(s.count(5000, ids.length)).toBe(5000);
    expect(s.loadedIds(ids)).toEqual(ids);
    s.click(ids, 2, toggle);
    expect(s.allResults).toBe(false);
    expect([...s.ids].sort()).toEqual([10, 11, 13, 14, 15]);
  });

  it('clear empties everything', () => {
    const s = new Selection();
    s.click(ids, 2, plain);
    s.clear();
    expect(s.isEmpty).toBe(true);
    expect(s.anchorId).toBeNull();
  });
});
