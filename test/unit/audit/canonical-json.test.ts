import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../main/core/audit/canonical-json.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'é' }], c: true } })).toBe(
      '{"a":{"c":true,"d":[3,{"y":"é","z":null}]},"b":1}',
    );
  });

  it('gives the same text whatever order keys were built in, and drops undefined', () => {
    expect(canonicalJson({ x: 1, y: 2, u: undefined })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('refuses values JSON cannot represent faithfully', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ n: Infinity })).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson({ b: 1n })).toThrow(TypeError);
  });
});
