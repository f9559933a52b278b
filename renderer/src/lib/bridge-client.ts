import {
  EVENT_CHANNELS,
  REQUEST_CHANNELS,
  subscriptionName,
} from '../../../main/core/contract/channels.ts';
import type { RecvaultApi } from '../../../main/core/contract/api.ts';
import type { Result } from '../../../main/core/contract/result.ts';

type ServerMessage =
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; channel: string; payload: unknown };

/** Waits between reconnection attempts: quick at first, then every few seconds. */
const RECONNECT_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * The preload-shaped API over the loopback bridge's WebSocket (dev and tests). Requests wait
 * for the connection; a lost connection answers every pending request with an error, and a
 * new one is opened (a restarted bridge, a dropped socket), keeping the event listeners.
 */
export function createBridgeApi(wsUrl: string): RecvaultApi {
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let failures = 0;
  let socket: WebSocket;
  // The connection requests wait for: the current one, or (once it closed) the next.
  let opened: Promise<void>;

  const connect = (): void => {
    const current = new WebSocket(wsUrl);
    socket = current;
    opened = new Promise<void>((resolve, reject) => {
      current.addEventListener('open', () => resolve(), { once: true });
      current.addEventListener('close', () => reject(new Error('bridge unreachable')), {
        once: true,
      });
    });
    opened.then(
      () => (failures = 0),
      () => undefined,
    );
    current.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage;
      if (message.type === 'result') {
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
      } else {
        for (const listener of listeners.get(message.channel) ?? []) listener(message.payload);
      }
    });
    current.addEventListener('close', () => {
      for (const resolve of pending.values()) {
        resolve({ ok: false, code: 'unreachable', message: 'Lost the connection to Recvault.' });
      }
      pending.clear();
      const wait = RECONNECT_DELAYS_MS[Math.min(failures, RECONNECT_DELAYS_MS.length - 1)]!;
      failures++;
      // A request made while waiting waits for the next connection rather than failing.
      let reconnected: () => void = () => undefined;
      const next = new Promise<void>((resolve) => (reconnected = resolve)).then(() => opened);
      next.catch(() => undefined);
      opened = next;
      setTimeout(() => {
        connect();
        reconnected();
      }, wait);
    });
  };
  connect();

  const api: Record<string, unknown> = {};
  for (const channel of REQUEST_CHANNELS) {
    api[channel] = async (args: unknown): Promise<Result<unknown>> => {
      try {
        await opened;
      } catch {
        return { ok: false, code: 'unreachable', message: 'Cannot reach the Recvault engine.' };
      }
      if (socket.readyState !== WebSocket.OPEN) {
        return { ok: false, code: 'unreachable', message: 'Lost the connection to Recvault.' };
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, channel, args: args ?? {} }));
      });
    };
  }
  for (const channel of EVENT_CHANNELS) {
    api[subscriptionName(channel)] = (listener: (payload: unknown) => void) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    };
  }
  // A browser cannot hand files to the desktop: dragging out is an Electron-only feature.
  api.startDrag = () => {};
  return api as RecvaultApi;
}
