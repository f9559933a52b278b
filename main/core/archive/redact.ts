// Strips credentials from provider JSON before it is stored in a sidecar: values under keys that
// name secrets, and the query string / user-info of URLs (signed download URLs are bearer
// credentials while they last).
const SECRET_KEY =
  /(secret|token|passw|api[-_]?key|access[-_]?key|private[-_]?key|authori[sz]ation|signature|credential|cookie|bearer|x-amz-|x-goog-)/i;

export const REDACTED = '[redacted]';

function redactUrl(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (url.search === '' && url.username === '' && url.password === '' && url.hash === '') {
    return value;
  }
  const query = url.search === '' ? '' : `?${REDACTED}`;
  return `${url.protocol}//${url.host}${url.pathname}${query}`;
}

/** A deep copy of `value` with secrets replaced by "[redacted]". */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 64) return REDACTED;
  if (typeof value === 'string') return redactUrl(value);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) && item !== null ? REDACTED : redactSecrets(item, depth + 1);
    }
    return out;
  }
  return value;
}
