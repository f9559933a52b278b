import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../core/engine.ts';
import { MEDIA_PREFIX, type MediaSigner } from './media-signer.ts';

export { MEDIA_PREFIX } from './media-signer.ts';

/** Serves an archived recording with Range support, by its signed URL only. */
export async function serveMediaRoute(
  engine: Engine,
  signer: MediaSigner,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const id = Number(url.pathname.slice(MEDIA_PREFIX.length));
  if (
    !Number.isSafeInteger(id) ||
    id <= 0 ||
    !signer.verify(id, url.searchParams.get('sig') ?? '')
  ) {
    res.writeHead(401).end('Unauthorized');
    return;
  }
  const answer = await engine.media.serve(id, req.method ?? 'GET', req.headers.range);
  res.writeHead(answer.status, answer.headers);
  if (!answer.body) {
    res.end();
    return;
  }
  // Bytes that fail on the way (a vault object whose hash is wrong, a cut connection) cut the
  // response short rather than ending it as if it were whole.
  answer.body.once('error', () => res.destroy());
  answer.body.pipe(res);
}
