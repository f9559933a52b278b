// Channel names only (no zod, no types): the sandboxed preload bundles this file alone.

export const REQUEST_CHANNELS = ['appInfo'] as const;

export const EVENT_CHANNELS = ['jobProgress'] as const;

export type RequestChannel = (typeof REQUEST_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];

/** The Electron IPC channel string for a request or an event. */
export function ipcChannelName(name: RequestChannel | EventChannel): string {
  return `recvault:${name}`;
}

export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && (REQUEST_CHANNELS as readonly string[]).includes(name);
}

/** `jobProgress` → `onJobProgress`: the subscription's name on the API object. */
export function subscriptionName<E extends EventChannel>(name: E): `on${Capitalize<E>}` {
  return `on${name.charAt(0).toUpperCase()}${name.slice(1)}` as `on${Capitalize<E>}`;
}
