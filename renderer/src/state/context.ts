import { getContext, setContext } from 'svelte';
import type { Stores } from './stores.ts';

const KEY = Symbol('recvault-stores');

/** The App hands the stores to every screen through context, once. */
export function provideStores(stores: Stores): void {
  setContext(KEY, stores);
}

export function useStores(): Stores {
  const stores = getContext<Stores | undefined>(KEY);
  if (!stores) throw new Error('useStores() outside the App');
  return stores;
}

/** For component tests: the context map that render() accepts. */
export function storesContext(stores: Stores): Map<symbol, Stores> {
  return new Map([[KEY, stores]]);
}
