import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KOREAI_JWT_TTL_SEC, signKoreaiJwt } from '../../../main/core/providers/koreai-jwt.ts';

function decodePart(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('signKoreaiJwt', () => {
  const input = { clientId: 'cs-1234', clientSecret: 'top-secret-value', nowMs: 1_700_000_000_000 };

  it('signs header.payload with HS256 over the client secret', () => {
    const token = signKoreaiJwt(input);
    const [header, payload, signature] = token.split('.');
    expect(decodePart(header)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const expected = createHmac('sha256', 'top-secret-value')
      .update(`${header}.${payload}`)
      .digest('base64url');
    expect(signature).toBe(expected);
    const wrong = createHmac('sha256', 'another-secret')
      .update(`${header}.${payload}`)
      .digest('base64url');
    expect(signature).not.toBe(wrong);
  });

  it('spells appId exactly and carries sub, iat, short exp and jti', () => {
    const payload = decodePart(signKoreaiJwt(input).split('.')[1]);
    expect(payload.appId).toBe('cs-1234');
    expect(payload).not.toHaveProperty('appid');
    expect(payload).not.toHaveProperty('app_id');
    expect(typeof payload.sub).toBe('string');
    expect(payload.iat).toBe(1_700_000_000);
    expect(payload.exp).toBe(1_700_000_000 + KOREAI_JWT_TTL_SEC);
    expect(KOREAI_JWT_TTL_SEC).toBeLessThanOrEqual(3600);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives every token a fresh jti', () => {
    const ids = new Set(
      Array.from({ length: 20 }, () => decodePart(signKoreaiJwt(input).split('.')[1]).jti),
    );
    expect(ids.size).toBe(20);
  });

  it('never lets a token live longer than one hour', () => {
    const payload = decodePart(signKoreaiJwt({ ...input, ttlSec: 86_400 }).split('.')[1]);
    expect((payload.exp as number) - (payload.iat as number)).toBe(3600);
  });

  it('does not carry the secret in the token', () => {
    const token = signKoreaiJwt(input);
    const decoded = token
      .split('.')
      .slice(0, 2)
      .map((p) => Buffer.from(p, 'base64url').toString('utf8'))
      .join('');
    expect(decoded).not.toContain('top-secret-value');
  });
});
