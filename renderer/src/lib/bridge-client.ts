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

/**
 * The preload-shaped API over the loopback bridge's WebSocket (dev and tests). Requests wait
 * for the connection; a lost connection answers every pending request with an error.
 */
export function createBridgeApi(wsUrl: string): RecvaultApi {
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  const socket = new WebSocket(wsUrl);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('bridge unreachable')), {
      once: true,
    });
  });
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as ServerMessage;
    if (message.type === 'result') {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    } else {
      for (const listener of listeners.get(message.channel) ?? []) listener(message.payload);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) {
      resolve({ ok: false, code: 'unreachable', message: 'Lost the connection to Recvault.' });
    }
    pending.clear();
  });

  const api: Record<string, unknown> = {};
  for (const channel of REQUEST_CHANNELS) {
    api[channel] = async (args: unknown): Promise<Result<unknown>> => {
      try {
        await opened;
      } catch {
        return { ok: false, code: 'unreachable', message: 'Cannot reach the Recvault engine.' };
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
