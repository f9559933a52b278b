import { z } from 'zod';
import type { RequestChannel } from './channels.ts';
import type { AppInfo } from './types.ts';

/** Argument schemas, parsed on the main side for every request from any transport. */
export const requestSchemas = {
  appInfo: z.object({}).strict(),
} satisfies Record<RequestChannel, z.ZodType>;

/** What each request resolves to when it succeeds. */
export interface RequestResults {
  appInfo: AppInfo;
}

export type RequestArgs<K extends RequestChannel> = z.input<(typeof requestSchemas)[K]>;
export type ParsedRequestArgs<K extends RequestChannel> = z.output<(typeof requestSchemas)[K]>;
