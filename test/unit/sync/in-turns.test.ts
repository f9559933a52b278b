import { setTimeout as sleep } from 'node:timers/promises';

/** A wait on I/O, as for the next page from the network (more than one event-loop turn). */
const network = () => sleep(2);
import { describe, expect, it } from 'vitest';
import { inTurns } from '../../../main/core/sync/in-turns.ts';

/** Yields `pages` as a listing would: a page's items at once, a wait on I/O between pages. */
async function* listing(pages: number[][], failAfter = Infinity): AsyncGenerator<number> {
  let page = 0;
  for (const items of pages) {
    if (page++ > 0) await network();
    if (page > failAfter) throw new Error('listing broke');
    for (const item of items) yield item;
  }
}

async function runs(source: AsyncIterable<number>, max?: number): Promise<number[][]> {
  const out: number[][] = [];
  for await (const run of inTurns(source, max)) out.push(run);
  return out;
}

describe('inTurns', () => {
  it('hands out each page that arrived at once as one run, in order', async () => {
    expect(await runs(listing([[1, 2, 3], [4, 5], [6]]))).toEqual([[1, 2, 3], [4, 5], [6]]);
  });

  it('cuts a long page at the maximum run', async () => {
    expect(await runs(listing([[1, 2, 3, 4, 5]]), 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('hands out what arrived before a failure, then throws it', async () => {
    const seen: number[][] = [];
    const broken = (async () => {
      for await (const run of inTurns(listing([[1, 2], [3]], 1))) seen.push(run);
    })();
    await expect(broken).rejects.toThrow('listing broke');
    expect(seen).toEqual([[1, 2]]);
  });

  it('releases the source when the consumer stops early', async () => {
    let released = false;
    async function* source(): AsyncGenerator<number> {
      try {
        yield 1;
        await network();
        yield 2;
      } finally {
        released = true;
      }
    }
    for await (const run of inTurns(source())) {
      expect(run).toEqual([1]);
      break;
    }
    expect(released).toBe(true);
  });
});
