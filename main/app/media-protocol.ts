import { Readable } from 'node:stream';
import type { Engine } from '../core/engine.ts';

export const MEDIA_SCHEME = 'recvault-media';

/** `recvault-media://recording/<id>`: the only URLs the player loads archived files from. */
export function mediaUrl(recordingId: number): string {
  return `${MEDIA_SCHEME}://recording/${recordingId}`;
}

/**
 * Answers the media protocol: an opaque recording id in, the archived file out (resolved and
 * checked inside the archive, or the team vault's object), with Range support so seeking works.
 */
export async function handleMediaRequest(engine: Engine, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const id = Number(url.pathname.replace(/^\//, ''));
  if (url.hostname !== 'recording' || !Number.isSafeInteger(id) || id <= 0) {
    return new Response(null, { status: 404 });
  }
  const answer = await engine.media.serve(id, request.method, request.headers.get('range'));
  const body = answer.body ? (Readable.toWeb(answer.body) as ReadableStream<Uint8Array>) : null;
  return new Response(body, { status: answer.status, headers: answer.headers });
}
