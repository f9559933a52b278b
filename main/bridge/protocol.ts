import { z } from 'zod';

/** Messages on the bridge's WebSocket. Requests carry an id so replies can be matched. */
export const bridgeRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().max(200),
  args: z.unknown(),
});

export type BridgeServerMessage =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'event'; channel: string; payload: unknown };

export const BRIDGE_PATH = '/bridge';
