import { describe, expect, it } from 'vitest';
import { Slots, runPool } from '../../../main/core/convert/worker-pool.ts';

const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('Slots', () => {
  it('runs at most `count` at a time, first come first served', async () => {
    const slots = new Slots(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        slots.run(async () => {
          order.push(i);
          peak = Math.max(peak, ++running);
          await tick();
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('a waiter whose signal aborts leaves the queue with the reason; a failed run frees its slot', async () => {
    const slots = new Slots(1);
    const first = slots.run(async () => {
      await tick(20);
      throw new Error('boom');
    });
    const controller = new AbortController();
    const waiting = slots.run(async () => 'never', controller.signal);
    const after = slots.run(async () => 'ran');
    controller.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    await expect(first).rejects.toThrow('boom');
    await expect(after).resolves.toBe('ran');
    await expect(slots.run(async () => 1, AbortSignal.abort())).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

describe('runPool', () => {
  it('runs every item with at most `concurrency` in flight', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool([10, 11, 12, 13, 14], 3, async (item) => {
      peak = Math.max(peak, ++running);
      await tick();
      seen.push(item);
      running--;
    });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual([10, 11, 12, 13, 14]);
  });
});
