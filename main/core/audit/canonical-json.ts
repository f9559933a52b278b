// A stable serialisation for hashing: object keys sorted (by UTF-16 code units, as RFC 8785
// does), no whitespace, numbers and strings as JSON.stringify writes them. The same value
// always gives the same bytes, whatever order its keys were built in.

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'object':
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      return canonicalObject(value as Record<string, unknown>);
    default:
      throw new TypeError(`canonicalJson: cannot serialise a ${typeof value}`);
  }
}

function canonicalObject(object: Record<string, unknown>): string {
  const entries = Object.keys(object)
    // Like JSON.stringify, leave out undefined members so optional fields hash the same
    // whether they are absent or undefined.
    .filter((key) => object[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
  return `{${entries.join(',')}}`;
}
