import type { EventChannel, RequestChannel } from './channels.ts';
import type { EventPayloads } from './events.ts';
import type { RequestArgs, RequestResults } from './requests.ts';
import type { Result } from './result.ts';

export type Unsubscribe = () => void;

/** The one typed API the renderer sees, whatever the transport (Electron IPC or the bridge). */
export type RecvaultApi = {
  [K in RequestChannel]: (args: RequestArgs<K>) => Promise<Result<RequestResults[K]>>;
} & {
  [E in EventChannel as `on${Capitalize<E>}`]: (
    listener: (payload: EventPayloads[E]) => void,
  ) => Unsubscribe;
} & {
  /**
   * Starts dragging archived recordings out of the window (Electron only; a no-op in a
   * browser). Call it from a `dragstart` handler.
   */
  startDrag(recordingIds: number[]): void;
};
