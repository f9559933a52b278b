// Format and URL checks shared by the Kore.ai and Envoy clients. Providers hand us file names,
// MIME types and signed URLs; none of them is trusted as a path or as a safe place to send bytes.
import { ProviderError } from './errors.ts';
import type { ProviderKind } from './types.ts';

const FORMAT_CONTENT_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  webm: 'audio/webm',
};

const CONTENT_TYPE_FORMATS: Record<string, string> = {
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/vnd.wave': 'wav',
  'audio/ogg': 'ogg',
  'audio/flac': 'flac',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/m4a': 'm4a',
  'video/mp4': 'mp4',
  'audio/webm': 'webm',
  'video/webm': 'webm',
};

/** A format word we accept as a file extension, or null: only known, plain extensions pass. */
export function knownFormat(ext: string | null | undefined): string | null {
  if (!ext) return null;
  const lower = ext.toLowerCase();
  return Object.hasOwn(FORMAT_CONTENT_TYPES, lower) ? lower : null;
}

/** The extension of the last segment of a name or URL path, if it is a known format. */
export function formatFromName(name: string): string | null {
  const last = name.split(/[\\/]/).pop() ?? '';
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(last);
  return knownFormat(match?.[1]);
}

export function formatFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const essence = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return CONTENT_TYPE_FORMATS[essence] ?? null;
}

export function contentTypeForFormat(format: string | null): string | null {
  return format === null ? null : (FORMAT_CONTENT_TYPES[format] ?? null);
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/**
 * Parses a provider-supplied download URL. Only https is accepted (http for loopback, which is
 * where test fakes live), and never with user:password, so bytes are not fetched from places
 * the provider did not mean or over a channel that leaks the signed query.
 */
export function parseMediaUrl(
  raw: string,
  where: { provider: ProviderKind; endpoint: string; field: string },
): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw invalidUrl(where, 'is not a URL', cause);
  }
  const secure = url.protocol === 'https:';
  const loopback = url.protocol === 'http:' && isLoopbackHost(url.hostname);
  if (!secure && !loopback) throw invalidUrl(where, `uses ${url.protocol} instead of https`);
  if (url.username || url.password) throw invalidUrl(where, 'carries credentials');
  return url;
}

function invalidUrl(
  where: { provider: ProviderKind; endpoint: string; field: string },
  problem: string,
  cause?: unknown,
): ProviderError {
  return new ProviderError({
    provider: where.provider,
    kind: 'invalid_response',
    endpoint: where.endpoint,
    field: where.field,
    message: `${where.provider} ${where.endpoint}: field ${where.field} ${problem}`,
    cause,
  });
}

/** The URL without its query and fragment: signed query strings must not be stored or logged. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '[unparseable url]';
  }
}
