import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../core/engine.ts';
import { resolveMedia } from '../core/media/resolve-media.ts';
import { serveFile } from '../core/media/serve-file.ts';
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
  let media;
  try {
    media = await resolveMedia(engine.archiveDir(), engine.library.require(id));
  } catch {
    res.writeHead(404).end();
    return;
  }
  const answer = await serveFile(
    media.absolutePath,
    media.contentType,
    req.method ?? 'GET',
    req.headers.range,
  );
  res.writeHead(answer.status, answer.headers);
  if (answer.body) answer.body.pipe(res);
  else res.end();
}
