// Kore.ai authenticates every public API call with an HS256 JWT in the `auth` header, signed
// with the app's Client Secret. Tokens are minted per request and live briefly, so a leaked
// token (e.g. in a proxy log) is useless within minutes.
import { createHmac, randomUUID } from 'node:crypto';

/** Kore.ai accepts at most one hour; five minutes covers any retry cycle of one request. */
export const KOREAI_JWT_TTL_SEC = 300;

export interface KoreaiJwtInput {
  clientId: string;
  clientSecret: string;
  /** Any id naming the caller; Kore.ai only requires that it is present. */
  subject?: string;
  ttlSec?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  nowMs?: number;
}

export interface KoreaiJwtPayload {
  sub: string;
  appId: string;
  iat: number;
  exp: number;
  jti: string;
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** Builds a signed HS256 JWT with the payload spelled as Kore.ai requires (`appId`). */
export function signKoreaiJwt(input: KoreaiJwtInput): string {
  const ttl = Math.min(input.ttlSec ?? KOREAI_JWT_TTL_SEC, 3600);
  const iat = Math.floor((input.nowMs ?? Date.now()) / 1000);
  const payload: KoreaiJwtPayload = {
    sub: input.subject ?? 'recvault',
    appId: input.clientId,
    iat,
    exp: iat + ttl,
    // Apps that enforce JTI reject a replayed token, so every token gets its own.
    jti: randomUUID(),
  };
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify(payload));
  const signature = createHmac('sha256', input.clientSecret)
    .update(`${header}.${body}`)
    .digest('base64url');
  return `${header}.${body}.${signature}`;
}
