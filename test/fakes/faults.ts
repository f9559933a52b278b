// Fault switches shared by every provider fake and the fake storage host. A test arms a fault
// for the next N matching requests; the fake takes it at the point where it applies.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Fault =
  /** 429 with Retry-After (seconds or HTTP date) and/or X-RateLimit-Reset. */
  | { type: 'rate_limit'; retryAfterSec?: number; form?: 'seconds' | 'date' | 'reset' | 'all' }
  /** A 5xx reply (arm with times: N for a burst). */
  | { type: 'server_error'; status?: number }
  /** The connection is destroyed after `afterBytes` of the body (default: half). */
  | { type: 'drop_mid_body'; afterBytes?: number }
  /** The body ends `missingBytes` short of its Content-Length, then the connection closes. */
  | { type: 'short_body'; missingBytes?: number }
  /** The body trickles: `chunkBytes` every `delayMs`. */
  | { type: 'slow_body'; chunkBytes?: number; delayMs?: number }
  /** The signed URL is treated as expired, whatever its `expires`. */
  | { type: 'expired_url' }
  /** The recording reports `processing` (and its download 202) however long one waits. */
  | { type: 'stuck_processing' }
  /** The JSON reply is cut off mid-document. */
  | { type: 'malformed_json' }
  /** The provider suggests this file name (Content-Disposition, fileName, …). */
  | { type: 'hostile_filename'; fileName: string }
  /** The JSON reply is followed by `bytes` of whitespace, sent without a Content-Length. */
  | { type: 'huge_json'; bytes: number }
  /** A listing answers its first page again, whatever page is asked for (still "more"). */
  | { type: 'repeat_page' }
  /** The API answers with a redirect to `location` instead of its reply. */
  | { type: 'redirect'; location: string; status?: number };

export type FaultType = Fault['type'];
export type FaultOf<T extends FaultType> = Extract<Fault, { type: T }>;

export interface InjectOptions {
  /** How many matching requests get the fault (default 1; Infinity for all). */
  times?: number;
  /** Only requests whose path contains this string / matches this pattern. */
  match?: string | RegExp;
}

interface ArmedFault {
  fault: Fault;
  remaining: number;
  match: string | RegExp | null;
}

export interface Faults {
  inject(fault: Fault, options?: InjectOptions): void;
  /** Consumes one use of the first armed fault of `type` matching `path`, if any. */
  take<T extends FaultType>(type: T, path: string): FaultOf<T> | null;
  /** Like take, without consuming (for state-like faults such as stuck_processing). */
  peek<T extends FaultType>(type: T, path: string): FaultOf<T> | null;
  clear(): void;
  /** How many times each fault type has fired, for assertions. */
  readonly fired: Record<string, number>;
}

export function createFaults(): Faults {
  let armed: ArmedFault[] = [];
  const fired: Record<string, number> = {};
  const matches = (entry: ArmedFault, path: string): boolean =>
    entry.match === null ||
    (typeof entry.match === 'string' ? path.includes(entry.match) : entry.match.test(path));
  const find = (type: FaultType, path: string): ArmedFault | undefined =>
    armed.find((e) => e.fault.type === type && e.remaining > 0 && matches(e, path));
  return {
    fired,
    inject(fault, options = {}) {
      armed.push({ fault, remaining: options.times ?? 1, match: options.match ?? null });
    },
    take<T extends FaultType>(type: T, path: string): FaultOf<T> | null {
      const entry = find(type, path);
      if (!entry) return null;
      entry.remaining -= 1;
      fired[type] = (fired[type] ?? 0) + 1;
      armed = armed.filter((e) => e.remaining > 0);
      return entry.fault as FaultOf<T>;
    },
    peek<T extends FaultType>(type: T, path: string): FaultOf<T> | null {
      return (find(type, path)?.fault as FaultOf<T> | undefined) ?? null;
    },
    clear() {
      armed = [];
    },
  };
}

/** File names a provider might send that must never become a path as they are. */
export const HOSTILE_FILE_NAMES: readonly string[] = [
  '../../../etc/passwd',
  '..\\..\\Windows\\System32\\drivers\\etc\\hosts',
  '/etc/shadow',
  'C:\\Users\\Public\\evil.mp3',
  'rec\u0000ording.mp3',
  'CON',
  'con.mp3',
  'LPT1.wav',
  `${'a'.repeat(300)}.mp3`,
  'line\r\nX-Injected: 1.mp3',
  '   ..   ',
];

/** Headers of a 429 for a rate_limit fault, in the form(s) it asks for. */
export function rateLimitHeaders(
  fault: FaultOf<'rate_limit'>,
  nowMs: number = Date.now(),
): Record<string, string> {
  const sec = fault.retryAfterSec ?? 1;
  const form = fault.form ?? 'seconds';
  const headers: Record<string, string> = { 'x-ratelimit-remaining': '0' };
  if (form === 'seconds' || form === 'all') headers['retry-after'] = String(sec);
  if (form === 'date') headers['retry-after'] = new Date(nowMs + sec * 1000).toUTCString();
  if (form === 'reset' || form === 'all') {
    headers['x-ratelimit-reset'] = String(Math.ceil(nowMs / 1000 + sec));
  }
  return headers;
}

export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** A JSON reply that applies `malformed_json`: the document is cut in half. */
export function writeJsonWithFaults(
  res: ServerResponse,
  faults: Faults,
  path: string,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (!faults.take('malformed_json', path)) {
    writeJson(res, status, body, headers);
    return;
  }
  const text = JSON.stringify(body);
  const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(cut)),
    ...headers,
  });
  res.end(cut);
}

/**
 * Writes a body (already sliced for a Range) and applies the body faults armed for `path`:
 * slow_body, drop_mid_body, short_body. Headers must be set by the caller (writeHead not yet
 * called); `headers` must include Content-Length.
 */
export async function sendBody(
  req: IncomingMessage,
  res: ServerResponse,
  options: {
    status: number;
    headers: Record<string, string>;
    data: Buffer;
    faults: Faults;
    path: string;
  },
): Promise<void> {
  const { data, faults, path } = options;
  if (req.method === 'HEAD') {
    res.writeHead(options.status, options.headers);
    res.end();
    return;
  }
  const drop = faults.take('drop_mid_body', path);
  const short = drop ? null : faults.take('short_body', path);
  const slow = faults.take('slow_body', path);
  const headers = { ...options.headers };
  if (short) headers.connection = 'close';
  res.writeHead(options.status, headers);

  let payload = data;
  if (drop) payload = data.subarray(0, drop.afterBytes ?? Math.floor(data.length / 2));
  if (short) payload = data.subarray(0, Math.max(0, data.length - (short.missingBytes ?? 1024)));

  if (slow) {
    const step = Math.max(1, slow.chunkBytes ?? 1024);
    for (let at = 0; at < payload.length; at += step) {
      if (res.destroyed) return;
      res.write(payload.subarray(at, at + step));
      await delay(slow.delayMs ?? 50);
    }
  } else if (payload.length > 0) {
    await new Promise<void>((resolve) => res.write(payload, () => resolve()));
  }
  if (drop) {
    // Kill the socket without ending the response: the client sees a reset mid-body.
    res.socket?.destroy();
    return;
  }
  res.end();
}

/** A huge_json reply: the document, then whitespace until `bytes` or the client hangs up. */
export async function writeHugeJson(
  res: ServerResponse,
  status: number,
  text: string,
  bytes: number,
): Promise<void> {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.write(text);
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  for (let sent = 0; sent < bytes && !res.destroyed; sent += chunk.length) {
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        res.once('drain', resolve);
        res.once('close', resolve);
      });
    }
  }
  res.end();
}

/** A redirect fault's reply. */
export function writeRedirect(res: ServerResponse, fault: FaultOf<'redirect'>): void {
  res.writeHead(fault.status ?? 302, { location: fault.location, 'content-length': '0' });
  res.end();
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
