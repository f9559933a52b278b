// A provider's JSON reply is read into memory, so its size is capped: a hostile or broken
// server sending gigabytes must fail the request, not the process.

/** Far above any page a provider sends (a 100-item page is well under 1 MiB). */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;

// No parameter properties: the benches and tools run this file under Node's type stripping.
export class BodyTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`the reply is larger than ${limit} bytes`);
    this.limit = limit;
  }
}

/** The whole body as text, or BodyTooLargeError as soon as it passes `limit` bytes. */
export async function readJsonBody(response: Response, limit = MAX_JSON_BYTES): Promise<string> {
  if (!response.body) return '';
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body.cancel().catch(() => undefined);
    throw new BodyTooLargeError(limit);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
