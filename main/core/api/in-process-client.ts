import type { RecvaultApi } from '../contract/api.ts';
import { EVENT_CHANNELS, REQUEST_CHANNELS, subscriptionName } from '../contract/channels.ts';
import { dispatchRequest, type ErrorReporter, type HandlerTable } from './dispatch.ts';
import type { EventBus } from './event-bus.ts';

/** The contract's API without the window-only drag. */
export type InProcessApi = Omit<RecvaultApi, 'startDrag'>;

/**
 * The contract's API for a caller in the engine's own process (the CLI): every request goes
 * through `dispatchRequest`, exactly as one from Electron IPC or the bridge, so it is parsed by
 * the same schemas, refused with the same `{ok:false}` values and leaves the same audit entries.
 */
export function inProcessApi(
  handlers: HandlerTable,
  events: EventBus,
  onUnexpected?: ErrorReporter,
): InProcessApi {
  const api: Record<string, unknown> = {};
  for (const channel of REQUEST_CHANNELS) {
    api[channel] = (args: unknown) => dispatchRequest(handlers, channel, args, onUnexpected);
  }
  for (const channel of EVENT_CHANNELS) {
    api[subscriptionName(channel)] = (listener: (payload: unknown) => void) =>
      events.subscribe((name, payload) => {
        if (name === channel) listener(payload);
      });
  }
  // Built channel by channel from the contract's lists, like the preload and the bridge client.
  return api as InProcessApi;
}
