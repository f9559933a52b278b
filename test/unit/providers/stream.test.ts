// Download replies → RemoteStream, body guards, and provider file names made display-safe.
import { describe, expect, it } from 'vitest';
import {
  cleanFileName,
  contentDispositionFileName,
  parseContentRange,
  rangeHeaders,
  toRemoteStream,
} from '../../../main/core/providers/stream.ts';
import { HOSTILE_FILE_NAMES } from '../../fakes/faults.ts';

const ctx = { provider: 'kallglot' as const, endpoint: 'storage.test', requestedOffset: 0 };

async function drain(body: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('rangeHeaders', () => {
  it('asks for identity bytes, with Range and If-Range only when resuming', () => {
    expect(rangeHeaders()).toEqual({ 'accept-encoding': 'identity' });
    expect(rangeHeaders({ offset: 10, etag: '"e"' })).toEqual({
      'accept-encoding': 'identity',
      range: 'bytes=10-',
      'if-range': '"e"',
    });
  });
});

describe('parseContentRange', () => {
  it('parses total and unknown total, refuses junk', () => {
    expect(parseContentRange('bytes 5-9/10')).toEqual({ start: 5, end: 9, total: 10 });
    expect(parseContentRange('bytes 5-9/*')).toEqual({ start: 5, end: 9, total: null });
    expect(parseContentRange('bytes 9-5/10')).toBeNull();
    expect(parseContentRange(null)).toBeNull();
  });
});

describe('toRemoteStream', () => {
  it('200: whole file, sizes from Content-Length', async () => {
    const res = new Response('hello', {
      headers: { 'content-length': '5', etag: '"x"', 'accept-ranges': 'bytes' },
    });
    const s = toRemoteStream(res, ctx);
    expect(s).toMatchObject({
      status: 200,
      startOffset: 0,
      contentLength: 5,
      totalSize: 5,
      etag: '"x"',
      acceptRanges: true,
    });
    expect((await drain(s.body)).toString()).toBe('hello');
  });

  it('206: offset and total from Content-Range; a wrong start is invalid_response', () => {
    const ok = new Response('lo', {
      status: 206,
      headers: { 'content-range': 'bytes 3-4/5', 'content-length': '2' },
    });
    expect(toRemoteStream(ok, { ...ctx, requestedOffset: 3 })).toMatchObject({
      startOffset: 3,
      totalSize: 5,
    });
    const bad = new Response('lo', { status: 206, headers: { 'content-range': 'bytes 0-1/5' } });
    expect(() => toRemoteStream(bad, { ...ctx, requestedOffset: 3 })).toThrow(
      /does not start where asked/,
    );
  });

  it('a body longer than Content-Length is refused', async () => {
    const res = new Response('hello world', { headers: { 'content-length': '5' } });
    await expect(drain(toRemoteStream(res, ctx).body)).rejects.toMatchObject({ kind: 'transient' });
  });

  it('falls back to the metadata size', () => {
    const res = new Response('x');
    expect(toRemoteStream(res, { ...ctx, knownSize: 1 }).totalSize).toBe(1);
  });
});

describe('file names from the provider', () => {
  it('reads quoted, bare and RFC 5987 forms', () => {
    expect(contentDispositionFileName('attachment; filename="recording-sess_1.mp3"')).toBe(
      'recording-sess_1.mp3',
    );
    expect(contentDispositionFileName('attachment; filename=a.wav')).toBe('a.wav');
    expect(contentDispositionFileName("attachment; filename*=UTF-8''r%C3%A9union.mp3")).toBe(
      'réunion.mp3',
    );
    expect(contentDispositionFileName(null)).toBeNull();
  });

  it.each(HOSTILE_FILE_NAMES.map((n) => [JSON.stringify(n).slice(0, 30), n]))(
    'cleans %s',
    (_l, name) => {
      const out = cleanFileName(name as string) ?? '';
      expect(out).not.toMatch(/[\\/\u0000-\u001f]/);
      expect(out).not.toMatch(/^\.+$/);
      expect(out.length).toBeLessThanOrEqual(200);
      expect(out).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i);
    },
  );

  it('keeps the extension of an over-long name', () => {
    expect(cleanFileName(`${'a'.repeat(300)}.mp3`)).toMatch(/^a+\.mp3$/);
  });
});
