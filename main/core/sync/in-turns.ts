// Groups what an async source yields into the runs that arrived together: the items of one
// listing page come within one event-loop turn, and the next page only after a network wait.

/** Longest run handed out at once (a very large page still commits in bounded pieces). */
export const MAX_RUN = 500;

const LATER = Symbol('later');

function nextTurn(): Promise<typeof LATER> {
  return new Promise((resolve) => setImmediate(resolve, LATER));
}

/**
 * Yields arrays of consecutive items: a run ends when the next item is not ready before the
 * event loop's next turn (the source waits on I/O), or at `max` items. Order is kept. A failure
 * of the source comes after the run gathered before it.
 */
export async function* inTurns<T>(source: AsyncIterable<T>, max = MAX_RUN): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let run: T[] = [];
  let finished = false;
  try {
    for (;;) {
      const next = iterator.next();
      let result: IteratorResult<T> | typeof LATER;
      try {
        result = await Promise.race([next, nextTurn()]);
        if (result === LATER && run.length > 0) {
          yield run;
          run = [];
        }
        if (result === LATER) result = await next;
      } catch (error) {
        finished = true;
        if (run.length > 0) yield run;
        throw error;
      }
      if (result.done) {
        finished = true;
        break;
      }
      run.push(result.value);
      if (run.length >= max) {
        yield run;
        run = [];
      }
    }
    if (run.length > 0) yield run;
  } finally {
    // The consumer stopped early: let the source release what it holds.
    if (!finished) await iterator.return?.();
  }
}
