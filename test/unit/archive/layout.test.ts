import { describe, expect, it } from 'vitest';
import {
  archiveRelativePath,
  extensionFor,
  MAX_SEGMENT_LENGTH,
  safeSegment,
} from '../../../main/core/archive/layout.ts';

const SAFE = /^[A-Za-z0-9._-]+$/;

function decode(segment: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; i++) {
    if (segment[i] === '_') {
      bytes.push(parseInt(segment.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(segment.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

describe('safeSegment', () => {
  const hostile = [
    '../x',
    'a/b',
    'a\\b',
    'nul\0byte',
    '..',
    '.',
    '',
    'CON',
    'con',
    'nul.txt',
    'LPT1',
    'x'.repeat(300),
    'trailing.',
    '.hidden',
    'a b:c*?"<>|',
    'ünïcødé',
    '😀',
    'a_2fb',
  ];

  it('keeps only [A-Za-z0-9._-] and never yields a path component or hidden file', () => {
    for (const id of hostile) {
      const s = safeSegment(id);
      expect(s, id).toMatch(SAFE);
      expect(s).not.toBe('.');
      expect(s).not.toBe('..');
      expect(s.startsWith('.'), id).toBe(false);
      expect(s.endsWith('.'), id).toBe(false);
      expect(s.length).toBeLessThanOrEqual(MAX_SEGMENT_LENGTH + 18);
    }
  });

  it('escapes reversibly so distinct ids never collide (also case-insensitively)', () => {
    const ids = [
      ...hostile,
      'a/b',
      'a_2fb',
      'a%2fb',
      'a.b',
      'a_b',
      'rec_AB',
      'rec_ab',
      'REC_ab',
      'x'.repeat(301),
    ];
    const unique = new Set(ids);
    const encoded = new Set([...unique].map((id) => safeSegment(id).toLowerCase()));
    expect(encoded.size).toBe(unique.size);
    // Short, lower-case ids decode back exactly.
    for (const id of ['../x', 'a/b', 'nul\0byte', 'a_2fb', 'ünïcødé', '😀', 'trailing.']) {
      expect(decode(safeSegment(id))).toBe(id);
    }
  });

  it('gives examples that read well', () => {
    expect(safeSegment('rec_123')).toBe('rec_5f123');
    expect(safeSegment('../x')).toBe('_2e._2fx');
    expect(safeSegment('a/b')).toBe('a_2fb');
    expect(safeSegment('nul\0')).toBe('nul_00');
    expect(safeSegment('con')).toBe('_63on');
    expect(safeSegment('CON')).toMatch(/^_43ON_h[0-9a-f]{16}$/);
    const long = safeSegment('y'.repeat(300));
    expect(long).toMatch(new RegExp(`^y{${MAX_SEGMENT_LENGTH}}_h[0-9a-f]{16}$`));
    expect(safeSegment('y'.repeat(300))).not.toBe(safeSegment('y'.repeat(299)));
  });
});

describe('extensionFor', () => {
  it('uses the whitelist: format first, then content type, else bin', () => {
    expect(extensionFor('MP3', null)).toBe('mp3');
    expect(extensionFor('wave', 'audio/mpeg')).toBe('wav');
    expect(extensionFor(null, 'audio/x-wav; codecs=1')).toBe('wav');
    expect(extensionFor('aac', 'audio/mp4')).toBe('m4a');
    expect(extensionFor('../../etc/passwd', 'text/html')).toBe('bin');
    expect(extensionFor(null, null)).toBe('bin');
    expect(extensionFor('opus', null)).toBe('opus');
    expect(extensionFor(null, 'video/webm')).toBe('webm');
  });
});

describe('archiveRelativePath', () => {
  it('is <provider>/<account>/<YYYY>/<MM>/<DD>/<id>.<ext> in UTC', () => {
    expect(
      archiveRelativePath({
        provider: 'envoy',
        accountKey: 'acct-1',
        remoteId: 'call_9/../../x',
        recordedAt: '2024-03-05T23:30:00-02:00',
        format: 'wav',
        contentType: null,
      }),
    ).toBe('envoy/acct-1/2024/03/06/call_5f9_2f.._2f.._2fx.wav');
  });

  it('puts undated or unparsable dates under undated/', () => {
    const base = {
      provider: 'kallglot',
      accountKey: '7',
      remoteId: 'r',
      format: null,
      contentType: null,
    } as const;
    expect(archiveRelativePath({ ...base, recordedAt: null })).toBe('kallglot/7/undated/r.bin');
    expect(archiveRelativePath({ ...base, recordedAt: 'yesterday' })).toBe(
      'kallglot/7/undated/r.bin',
    );
  });
});
