import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { parseByteRange } from '../../../main/core/media/byte-range.ts';
import { serveBytes, serveFile } from '../../../main/core/media/serve-file.ts';
import { tempDir } from '../../support/tmp.ts';

function file(content: string): string {
  const p = path.join(tempDir(), 'a.mp3');
  fs.writeFileSync(p, content);
  return p;
}

describe('parseByteRange', () => {
  it('parses open, closed and suffix ranges', () => {
    expect(parseByteRange('bytes=0-', 10)).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(parseByteRange('bytes=2-4', 10)).toEqual({ kind: 'partial', start: 2, end: 4 });
    expect(parseByteRange('bytes=-3', 10)).toEqual({ kind: 'partial', start: 7, end: 9 });
    expect(parseByteRange('bytes=5-100', 10)).toEqual({ kind: 'partial', start: 5, end: 9 });
    expect(parseByteRange(undefined, 10)).toEqual({ kind: 'whole' });
  });

  it('refuses ranges past the end', () => {
    expect(parseByteRange('bytes=10-', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(parseByteRange('bytes=4-2', 10)).toEqual({ kind: 'unsatisfiable' });
  });
});

describe('serveFile', () => {
  it('serves the whole file with its length and range support', async () => {
    const res = await serveFile(file('0123456789'), 'audio/mpeg', 'GET', null);
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ 'Content-Length': '10', 'Accept-Ranges': 'bytes' });
    expect(await text(res.body!)).toBe('0123456789');
  });

  it('serves a byte range as 206 with Content-Range', async () => {
    const res = await serveFile(file('0123456789'), 'audio/mpeg', 'GET', 'bytes=3-5');
    expect(res.status).toBe(206);
    expect(res.headers['Content-Range']).toBe('bytes 3-5/10');
    expect(await text(res.body!)).toBe('345');
  });

  it('answers 416 for an unsatisfiable range and HEAD without a body', async () => {
    const p = file('0123456789');
    const bad = await serveFile(p, 'audio/mpeg', 'GET', 'bytes=20-');
    expect(bad.status).toBe(416);
    expect(bad.headers['Content-Range']).toBe('bytes */10');
    const head = await serveFile(p, 'audio/mpeg', 'HEAD', null);
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    expect(head.headers['Content-Length']).toBe('10');
  });

  it('answers 404 for a missing file', async () => {
    expect((await serveFile('/nonexistent/x.mp3', 'audio/mpeg', 'GET', null)).status).toBe(404);
  });
});

describe('serveBytes (a vault object)', () => {
  const bytes = Buffer.from('0123456789');
  const opened: [number, number, boolean][] = [];
  const open = async (start: number, end: number, whole: boolean) => {
    opened.push([start, end, whole]);
    return Readable.from([bytes.subarray(start, end + 1)]);
  };

  it('opens only the range the player asks for, and says when that is the whole object', async () => {
    opened.length = 0;
    const middle = await serveBytes(10, 'audio/wav', 'GET', 'bytes=3-5', open);
    expect(middle.status).toBe(206);
    expect(middle.headers['Content-Range']).toBe('bytes 3-5/10');
    expect(await text(middle.body!)).toBe('345');
    const all = await serveBytes(10, 'audio/wav', 'GET', 'bytes=0-', open);
    expect(await text(all.body!)).toBe('0123456789');
    const head = await serveBytes(10, 'audio/wav', 'HEAD', null, open);
    expect(head.headers['Content-Length']).toBe('10');
    expect(opened).toEqual([
      [3, 5, false],
      [0, 9, true],
    ]);
  });

  it('answers a range past the end with 416 and opens nothing', async () => {
    opened.length = 0;
    const res = await serveBytes(10, 'audio/wav', 'GET', 'bytes=10-', open);
    expect(res.status).toBe(416);
    expect(res.headers['Content-Range']).toBe('bytes */10');
    expect(opened).toEqual([]);
  });
});
