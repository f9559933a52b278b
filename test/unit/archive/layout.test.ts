import { describe, expect, it } from 'vitest';
import { koreaiFileRecording } from '../../../main/core/providers/koreai-recording.ts';
import {
  relativePathForRecording,
  archiveRelativePath,
  extensionFor,
  legacyArchiveRelativePath,
  MAX_SEGMENT_LENGTH,
  MAX_STEM_LENGTH,
  readableStem,
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
    ).toBe('envoy/acct-1/2024/03/06/call_9%2F..%2F..%2Fx.wav');
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

function percentDecode(stem: string): string {
  return Buffer.from(
    stem
      .replace(/~[0-9a-f]{12}$/, '')
      .replace(/%([0-9A-F]{2})|[^%]+/g, (m, hex: string | undefined) =>
        hex ? String.fromCharCode(parseInt(hex, 16)) : m,
      ),
    'latin1',
  ).toString('utf8');
}

describe('readableStem (the archived file’s name)', () => {
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
    'aux .tar',
    'LPT1',
    'com\u00b9',
    'x'.repeat(300),
    'trailing.',
    '.hidden',
    ' lead',
    'trail ',
    'a b:c*?"<>|',
    'tab\there',
    'ünïcødé',
    'e\u0301',
    '\u00e9',
    '😀',
    'a%3Ab',
    'a:b',
    'a~b',
  ];
  // Names no file system of Windows, macOS or Linux refuses, hides or rewrites.
  const WINDOWS_FORBIDDEN = /[<>:"/\\|?*\x00-\x1f\x7f]/;
  const DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

  it('is the recording id itself where no file system objects', () => {
    expect(readableStem('rec_demo_0001_agent')).toBe('rec_demo_0001_agent');
    expect(readableStem('call_3f2a9c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b')).toBe(
      'call_3f2a9c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b',
    );
    expect(readableStem('sess 12, part #2 (a&b)')).toBe('sess 12, part #2 (a&b)');
    // Kore.ai's ids join the session and the file key with a colon, which Windows refuses.
    expect(readableStem('22d8ca62d5c430a0:merged-0123456789abcdef')).toBe(
      '22d8ca62d5c430a0%3Amerged-0123456789abcdef',
    );
  });

  it('escapes what Windows, macOS or Linux would refuse, hide or rewrite', () => {
    for (const id of hostile) {
      const stem = readableStem(id);
      expect(stem, id).not.toMatch(WINDOWS_FORBIDDEN);
      expect(stem, id).toMatch(/^[\x20-\x7e]+$/);
      expect(stem.startsWith('.'), id).toBe(false);
      expect(stem.startsWith(' ') || stem.endsWith(' '), id).toBe(false);
      expect(DEVICE.test((stem.split('.')[0] ?? '').trimEnd()), id).toBe(false);
      expect(stem.length, id).toBeLessThanOrEqual(MAX_STEM_LENGTH + 13);
      expect(`${stem}.wav`.length).toBeLessThan(120);
    }
    expect(readableStem('con')).toBe('%63on');
    expect(readableStem('.hidden')).toBe('%2Ehidden');
    expect(readableStem('a b:c')).toBe('a b%3Ac');
    expect(readableStem('ü')).toBe('%C3%BC');
  });

  it('never gives two ids one name, also on case-insensitive volumes, and decodes back', () => {
    const ids = [...hostile, 'rec_AB', 'rec_ab', 'REC_ab', 'x'.repeat(301), 'a%2Fb', 'a/b'];
    const unique = new Set(ids);
    const names = new Set([...unique].map((id) => readableStem(id).toLowerCase()));
    expect(names.size).toBe(unique.size);
    for (const id of ['../x', 'a/b', 'nul\0byte', 'a%3Ab', 'ünïcødé', '😀', 'trailing.', 'a~b']) {
      expect(percentDecode(readableStem(id)), id).toBe(id);
    }
    expect(readableStem('recAB')).toMatch(/^recAB~[0-9a-f]{12}$/);
    expect(readableStem('y'.repeat(300))).toMatch(
      new RegExp(`^y{${MAX_STEM_LENGTH}}~[0-9a-f]{12}$`),
    );
  });

  it('keeps the folders and changes only the file name from the old layout', () => {
    const input = {
      provider: 'kallglot',
      accountKey: '3',
      remoteId: 'rec_demo_0001_agent',
      recordedAt: '2026-03-05T10:00:00Z',
      format: 'wav',
      contentType: null,
    } as const;
    expect(archiveRelativePath(input)).toBe('kallglot/3/2026/03/05/rec_demo_0001_agent.wav');
    expect(legacyArchiveRelativePath(input)).toBe(
      'kallglot/3/2026/03/05/rec_5fdemo_5f0001_5fagent.wav',
    );
  });
});

describe('a Kore.ai file’s place in the archive', () => {
  const entry = {
    fileName: '22d8ca62d5c430a03a8d06999289abcd-merged.wav',
    fileUrl: 'https://smartassist.kore.ai/api/getMediaStream/x/f-1.wav?e=1709706278&n=1&s=x',
  };
  it('is the folder of its recording date (the session’s start, UTC), named by its id', () => {
    const found = koreaiFileRecording(
      {
        sessionId: 'sess-7',
        userId: 'u@example.com',
        session: {
          sessionId: 'sess-7',
          userId: 'u@example.com',
          start_time: '2024-03-05T23:50:00+01:00',
        },
      },
      'success',
      entry,
    );
    expect(relativePathForRecording(found, '4')).toMatch(
      /^koreai\/4\/2024\/03\/05\/sess-7%3Amerged-[0-9a-f]{16}\.wav$/,
    );
  });

  it('is undated when the session was named by id alone (Kore.ai says no date then)', () => {
    const byId = koreaiFileRecording({ sessionId: 'sess-7', userId: 'u' }, 'success', entry);
    expect(relativePathForRecording(byId, '4')).toMatch(/^koreai\/4\/undated\/sess-7%3A/);
  });
});
