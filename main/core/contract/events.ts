import type { EventChannel } from './channels.ts';
import type { JobProgress } from './types.ts';

/** Payloads of pushes from main to the renderer. */
export interface EventPayloads {
  jobProgress: JobProgress;
}

export type EventPayload<E extends EventChannel> = EventPayloads[E];
