// Runs async tasks with at most `concurrency` at a time. A task's rejection is the task's own
// business (the caller catches per task); only an abort stops handing out new tasks.
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      signal?.throwIfAborted();
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  const count = Math.max(1, Math.min(concurrency, items.length));
  const results = await Promise.allSettled(Array.from({ length: count }, worker));
  signal?.throwIfAborted();
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
