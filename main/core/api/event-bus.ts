import type { EventChannel } from '../contract/channels.ts';
import type { EventPayloads } from '../contract/events.ts';

export type EventListener = <E extends EventChannel>(channel: E, payload: EventPayloads[E]) => void;

/** Pushes from the engine to whichever transports are listening. */
export class EventBus {
  #listeners = new Set<EventListener>();

  emit<E extends EventChannel>(channel: E, payload: EventPayloads[E]): void {
    for (const listener of this.#listeners) listener(channel, payload);
  }

  /** Returns an unsubscribe that removes exactly this listener. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
