// The bridge's media URLs: <audio> sends no headers, so the URL itself is the credential. Each
// one is signed for its recording with a key of this run (never the session token), so a URL
// that leaks (a history, a log, a copied link) opens that one recording until the bridge stops.
import crypto from 'node:crypto';

export interface MediaSigner {
  /** The bridge's URL for a recording, with its signature. */
  url(recordingId: number): string;
  /** True when `signature` is this run's signature of `recordingId`. */
  verify(recordingId: number, signature: string): boolean;
}

export const MEDIA_PREFIX = '/media/';

export function createMediaSigner(key: Buffer = crypto.randomBytes(32)): MediaSigner {
  const sign = (id: number): string =>
    crypto.createHmac('sha256', key).update(`recording:${id}`).digest('base64url');
  return {
    url: (id) => `${MEDIA_PREFIX}${id}?sig=${sign(id)}`,
    verify(id, signature) {
      const given = Buffer.from(signature);
      const expected = Buffer.from(sign(id));
      return given.length === expected.length && crypto.timingSafeEqual(given, expected);
    },
  };
}
