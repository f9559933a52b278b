/**
 * Where the first NUL character sits in a request's arguments ("name", "sessions[0].id"), or
 * null when there is none. No contract field means anything with a NUL in it, and past the
 * boundary it does harm: SQLite's text functions stop at it (a name of "\0" passes the
 * schema's non-empty check yet fails the table's), and Node's file APIs throw on it in paths.
 */
export function firstNulAt(value: unknown, at = '', seen = new Set<object>()): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? at || '(the argument)' : null;
  if (typeof value !== 'object' || value === null || seen.has(value)) return null;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = firstNulAt(item, `${at}[${index}]`, seen);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const name = at ? `${at}.${key}` : key;
    if (key.includes('\u0000')) return name;
    const found = firstNulAt(item, name, seen);
    if (found) return found;
  }
  return null;
}
