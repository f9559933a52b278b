// How the stores ask the engine for something: one place that turns a Result into the store's
// state or into words for the screen.
import type { Result } from '../../../main/core/contract/result.ts';
import { call, describeFailure } from '../lib/failure.ts';

/** A store that shows a list it loaded, or why it could not. */
export interface Loadable {
  loaded: boolean;
  error: string | null;
}

/**
 * Loads a store's data: on success hands it over and clears the error; on failure keeps what
 * the store showed and says why.
 */
export async function loadInto<T>(
  store: Loadable,
  request: () => Promise<Result<T>>,
  apply: (value: T) => void,
): Promise<void> {
  const result = await call(request);
  if (result.ok) {
    apply(result.value);
    store.loaded = true;
    store.error = null;
  } else {
    store.error = describeFailure(result);
  }
}

/** Runs an action and hands its answer over; returns the failure in words, or null. */
export async function attempt<T>(
  request: () => Promise<Result<T>>,
  apply: (value: T) => void,
): Promise<string | null> {
  const result = await call(request);
  if (!result.ok) return describeFailure(result);
  apply(result.value);
  return null;
}

/** The list with `item` in place of the one with its id, or added (`first`: newest first). */
export function upsertById<T extends { id: number }>(
  list: T[],
  item: T,
  where: 'first' | 'last',
): T[] {
  const index = list.findIndex((other) => other.id === item.id);
  if (index >= 0) return list.with(index, item);
  return where === 'first' ? [item, ...list] : [...list, item];
}
