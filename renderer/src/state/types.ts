import type { RecvaultApi } from '../../../main/core/contract/api.ts';

/** The part of the API a state class uses: tests hand in a small fake with just that. */
export type ApiOf<K extends keyof RecvaultApi> = Pick<RecvaultApi, K>;
