import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../core/engine.ts';
import { resolveMedia } from '../core/media/resolve-media.ts';
import { serveFile } from '../core/media/serve-file.ts';

export const MEDIA_PREFIX = '/media/';

/** The bridge's media URL for a recording: the token rides along, as <audio> sends no headers. */
export function bridgeMediaUrl(token: string): (recordingId: number) => string {
  return (id) => `${MEDIA_PREFIX}${id}?token=${encodeURIComponent(token)}`;
}

/** Serves an archived recording with Range support, to holders of the bridge's token only. */
export async function serveMediaRoute(
  engine: Engine,
  token: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    res.writeHead(401).end('Unauthorized');
    return;
  }
  const id = Number(url.pathname.slice(MEDIA_PREFIX.length));
  if (!Number.isSafeInteger(id) || id <= 0) {
    res.writeHead(404).end();
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
