// fast-check arbitraries that follow a zod schema's shape: mostly the right keys and kinds with
// edge-case values, sometimes a wrong kind, a missing key or an extra one. Random JSON alone is
// refused by the schema's first check; values near the shape reach the handlers behind it.
import fc from 'fast-check';
import type { z } from 'zod';

/** Strings that mean something somewhere in the contract or a provider's replies. */
const TELLING_STRINGS = [
  '',
  ' ',
  '..',
  '../..',
  '%2e%2e%2f',
  'a/../../b',
  '\u0000',
  '\u202e',
  'x'.repeat(5000),
  '2026-01-31',
  '2026-01-31T09:00Z',
  '9999-99-99',
  'not a date',
  'sess_1',
  'rec_1',
  'call_1',
  'KALLGLOT_KEY',
  'sk_live_fuzz',
  'https://127.0.0.1:1/',
  'http://example.com/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'mixed',
  'ready',
  'success',
  'export.zip',
  '<script>',
  "'; DROP TABLE recordings; --",
];

const TELLING_NUMBERS = [0, -1, 1, 2, 3, 1.5, 2 ** 31, Number.MAX_SAFE_INTEGER, -0, 1e308];

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
  entries?: Record<string, unknown>;
  in?: z.ZodType;
  valueType?: z.ZodType;
};

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/**
 * Values shaped like `schema`, with edge cases. `strings` is the arbitrary used for every string
 * (a caller that must keep paths inside a folder passes a filtered one).
 */
export function nearValid(
  schema: z.ZodType,
  strings: fc.Arbitrary<string> = tellingString(),
  depth = 0,
): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const inner = (s: z.ZodType) => nearValid(s, strings, depth + 1);
  const wrong = fc.oneof(fc.constant(null), fc.integer(), strings, fc.constant([]));
  const shaped = ((): fc.Arbitrary<unknown> => {
    switch (def.type) {
      case 'string':
        return strings;
      case 'number':
        return fc.oneof(fc.constantFrom(...TELLING_NUMBERS), fc.integer({ min: -5, max: 12 }));
      case 'boolean':
        return fc.boolean();
      case 'literal':
        return fc.constantFrom(...(def.values ?? [null]));
      case 'enum':
        return fc.constantFrom(...Object.values(def.entries ?? {}));
      case 'optional':
        return fc.option(inner(def.innerType!), { nil: undefined });
      case 'nullable':
        return fc.option(inner(def.innerType!), { nil: null });
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'catch':
      case 'nonoptional':
        return inner(def.innerType!);
      case 'pipe':
        return inner(def.in!);
      case 'union':
        return fc.oneof(...(def.options ?? []).map(inner));
      case 'array':
        return depth > 6 ? fc.constant([]) : fc.array(inner(def.element!), { maxLength: 4 });
      case 'record':
        return fc.dictionary(strings, inner(def.valueType!), { maxKeys: 3 });
      case 'object': {
        const shape = Object.fromEntries(
          Object.entries(def.shape ?? {}).map(([key, value]) => [key, inner(value)]),
        );
        const whole = fc.record(shape);
        const partial = fc.record(shape, { requiredKeys: [] });
        // Mostly every key, sometimes some missing, sometimes one the schema does not know
        // (strict objects refuse it; `__proto__` tests that nothing is polluted).
        return fc.oneof(
          { weight: 6, arbitrary: whole },
          { weight: 2, arbitrary: partial },
          {
            weight: 1,
            arbitrary: fc
              .tuple(
                partial,
                fc.constantFrom('__proto__', 'constructor', 'extra', 'id'),
                fc.jsonValue(),
              )
              .map(([value, key, extra]) => ({ ...(value as object), [key]: extra })),
          },
        );
      }
      default:
        return fc.jsonValue();
    }
  })();
  return fc.oneof({ weight: 15, arbitrary: shaped }, { weight: 1, arbitrary: wrong });
}

export function tellingString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...TELLING_STRINGS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  );
}

/** Any value a transport could hand over: JSON, and the structured-clone extras IPC carries. */
export function anyArgs(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.jsonValue(),
    fc.anything({ maxDepth: 3, withMap: true, withSet: true, withBigInt: true, withDate: true }),
    fc.constantFrom(undefined, null, NaN, Infinity, [], '', 0),
  );
}
