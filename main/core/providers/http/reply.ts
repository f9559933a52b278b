// A reply as the provider code sees it: fetch's Response for API calls, a ByteReply (a Node
// stream straight off the socket) for file bytes. Both answer status, headers and body.
import type { Readable } from 'node:stream';

/**
 * A reply whose body is file bytes, read as a Node stream straight off the socket (no WHATWG
 * stream layers). `body` is null for a reply without one (HEAD, 204, 304).
 */
export interface ByteReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Readable | null;
}

/** A reply from `send` (fetch) or `sendForBytes` (node:http). */
export type AnyReply = Response | ByteReply;

/** Reads at most `limit` bytes of a body as text (error bodies only), then drops the rest. */
export async function readBoundedText(response: AnyReply, limit: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (!(response instanceof Response)) {
    const body = response.body as Readable;
    try {
      for await (const chunk of body) {
        chunks.push(chunk as Buffer);
        total += (chunk as Buffer).length;
        if (total >= limit) break;
      }
    } finally {
      body.destroy();
    }
    return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
  }
  const reader = response.body.getReader();
  try {
    while (total < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** Drops a reply's body unread (releases the connection). */
export function discardReply(response: AnyReply): void {
  if (response.body === null) return;
  if (response instanceof Response) void response.body.cancel().catch(() => undefined);
  else response.body.destroy();
}
