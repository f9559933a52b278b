// The fake Kore.ai's own JWT check, written independently of the app's signer so a signing bug
// cannot be hidden by sharing code with the verifier.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type JwtRejection =
  | 'missing'
  | 'malformed'
  | 'bad_algorithm'
  | 'bad_signature'
  | 'wrong_app'
  | 'expired'
  | 'too_long_lived'
  | 'missing_jti'
  | 'replayed_jti';

export interface JwtCheckOptions {
  clientId: string;
  clientSecret: string;
  nowMs: number;
  /** Apps that enforce JTI refuse a token whose jti was seen before. */
  seenJtis?: Set<string> | null;
}

export function checkKoreaiJwt(
  token: string | undefined,
  options: JwtCheckOptions,
): { ok: true; payload: Record<string, unknown> } | { ok: false; reason: JwtRejection } {
  if (!token) return { ok: false, reason: 'missing' };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [head, body, signature] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as Record<string, unknown>;
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (header.alg !== 'HS256') return { ok: false, reason: 'bad_algorithm' };
  const expected = createHmac('sha256', options.clientSecret).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  if (payload.appId !== options.clientId) return { ok: false, reason: 'wrong_app' };
  const nowSec = options.nowMs / 1000;
  if (typeof payload.exp !== 'number' || payload.exp <= nowSec) {
    return { ok: false, reason: 'expired' };
  }
  const iat = typeof payload.iat === 'number' ? payload.iat : nowSec;
  if (payload.exp - iat > 3600) return { ok: false, reason: 'too_long_lived' };
  if (options.seenJtis) {
    if (typeof payload.jti !== 'string' || payload.jti === '') {
      return { ok: false, reason: 'missing_jti' };
    }
    if (options.seenJtis.has(payload.jti)) return { ok: false, reason: 'replayed_jti' };
    options.seenJtis.add(payload.jti);
  }
  return { ok: true, payload };
}
