import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import {
  EVENT_CHANNELS,
  REQUEST_CHANNELS,
  ipcChannelName,
  isRequestChannel,
  type RequestChannel,
} from '../core/contract/channels.ts';
import { dispatchRequest, type ErrorReporter, type HandlerTable } from '../core/api/dispatch.ts';
import type { EventBus } from '../core/api/event-bus.ts';
import type { Result } from '../core/contract/result.ts';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/**
 * Registers one contract channel. Refuses to register a name the contract does not know, and
 * answers requests from any sender but the app's own main frame with a refusal.
 */
export function registerChannel(
  ipcMain: Pick<IpcMain, 'handle'>,
  channel: string,
  table: HandlerTable,
  isTrusted: SenderCheck,
  onUnexpected: ErrorReporter,
): void {
  if (!isRequestChannel(channel)) {
    throw new Error(`Refusing to register unknown IPC channel ${JSON.stringify(channel)}`);
  }
  ipcMain.handle(ipcChannelName(channel), async (event, args): Promise<Result<unknown>> => {
    if (!isTrusted(event)) {
      return { ok: false, code: 'unknown_channel', message: 'Refused: untrusted sender.' };
    }
    return dispatchRequest(table, channel satisfies RequestChannel, args, onUnexpected);
  });
}

export function registerAllChannels(
  ipcMain: Pick<IpcMain, 'handle'>,
  table: HandlerTable,
  isTrusted: SenderCheck,
  onUnexpected: ErrorReporter,
): void {
  for (const channel of REQUEST_CHANNELS) {
    registerChannel(ipcMain, channel, table, isTrusted, onUnexpected);
  }
}

/** Forwards engine events to the window; returns the unsubscribe. */
export function forwardEvents(events: EventBus, target: () => WebContents | null): () => void {
  const known = new Set<string>(EVENT_CHANNELS);
  return events.subscribe((channel, payload) => {
    const contents = target();
    if (!contents || contents.isDestroyed() || !known.has(channel)) return;
    contents.send(ipcChannelName(channel), payload);
  });
}
