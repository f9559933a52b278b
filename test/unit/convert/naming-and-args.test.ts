// The pure parts of an export: safe names, collisions, templates, options validation, the
// ffmpeg argument arrays and the manifest formats.
import { describe, expect, it } from 'vitest';
import { buildConversionArgs } from '../../../main/core/convert/ffmpeg-args.ts';
import {
  formatDuration,
  renderFileNameTemplate,
  type TemplateValues,
} from '../../../main/core/convert/file-name-template.ts';
import { manifestCsv, sha256Sums, type ExportedFile } from '../../../main/core/convert/manifest.ts';
import {
  exportOptionsSchema,
  parseExportOptions,
} from '../../../main/core/contract/export-options.ts';
import { planOutputs } from '../../../main/core/convert/plan.ts';
import { safeFileName, safeStem } from '../../../main/core/convert/safe-file-name.ts';
import type { ExportSource } from '../../../main/core/convert/source.ts';
import { uniqueFileNames } from '../../../main/core/convert/unique-names.ts';

describe('safeStem / safeFileName', () => {
  it.each([
    ['../../etc/passwd', '__._etc_passwd'],
    ['a:b*?', 'a_b__'],
    ['<>"|\\/', '______'],
    ['tab\there\nnew', 'tab_here_new'],
    ['nul\u0000', 'nul_'],
    ['dots and spaces. . ', 'dots and spaces'],
    ['.hidden', '_hidden'],
    ['..', '_'],
    ['', 'recording'],
    ['   ', 'recording'],
    ['CON', '_CON'],
    ['con.tar.gz', '_con.tar.gz'],
    ['Lpt9', '_Lpt9'],
    ['COM¹', '_COM¹'],
    ['CON .x', '_CON .x'],
    ['CONSOLE', 'CONSOLE'],
    ['café', 'café'],
  ])('%j → %j', (raw, safe) => {
    expect(safeStem(raw)).toBe(safe);
  });

  it('never splits a character when capping the length, and keeps the extension', () => {
    const name = safeFileName('é'.repeat(100) + '👩‍👩‍👧', 'MP3');
    expect(name.endsWith('.mp3')).toBe(true);
    expect(Buffer.byteLength(name.slice(0, -4))).toBeLessThanOrEqual(150);
    expect(name.slice(0, -4)).toBe('é'.repeat(75));
    expect(safeFileName('x'.repeat(300), 'wav')).toBe(`${'x'.repeat(150)}.wav`);
  });

  it('reserved names are escaped after the extension is added too', () => {
    expect(safeFileName('nul', 'wav')).toBe('_nul.wav');
    expect(safeFileName('rec', '../x')).toBe('rec.x');
  });
});

describe('uniqueFileNames', () => {
  it('numbers collisions in input order, ignoring case, and avoids taken names', () => {
    expect(
      uniqueFileNames(['a.wav', 'A.wav', 'a.wav', 'a (2).wav', 'manifest.csv'], ['manifest.csv']),
    ).toEqual(['a.wav', 'A (2).wav', 'a (3).wav', 'a (2) (2).wav', 'manifest (2).csv']);
  });

  it('keeps a numbered name within the length cap', () => {
    const long = `${'y'.repeat(150)}.wav`;
    const [, second] = uniqueFileNames([long, long]);
    expect(second).toBe(`${'y'.repeat(146)} (2).wav`);
  });
});

describe('renderFileNameTemplate', () => {
  const values: TemplateValues = {
    provider: 'envoy',
    account: 'Acme',
    sessionId: null,
    callId: 'call_9',
    remoteId: 'call_9',
    recordingId: 'r1',
    channel: 'mixed',
    recordedAt: '2024-07-01T22:30:00Z',
    durationSec: 3725.4,
  };

  it('renders every token, dates in the chosen zone', () => {
    expect(
      renderFileNameTemplate(
        '{provider}|{account}|{session}|{call}|{recording}|{id}|{channel}|{date}|{time}|{duration}',
        values,
        'Europe/Berlin',
      ),
    ).toBe('envoy|Acme||call_9|call_9|r1|mixed|2024-07-02|00-30-00|1h02m05s');
    expect(renderFileNameTemplate('{date}_{time}', values, 'Asia/Kolkata')).toBe(
      '2024-07-02_04-00-00',
    );
    expect(renderFileNameTemplate('{date}', { ...values, recordedAt: null }, 'UTC')).toBe('');
  });

  it('formats durations compactly', () => {
    expect([formatDuration(9), formatDuration(65.4), formatDuration(3725)]).toEqual([
      '9s',
      '1m05s',
      '1h02m05s',
    ]);
  });
});

describe('exportOptionsSchema', () => {
  it('fills defaults', () => {
    expect(parseExportOptions({ format: 'mp3' })).toEqual({
      format: 'mp3',
      sampleRate: 'keep',
      channels: 'keep',
      video: 'keep',
      loudnorm: false,
      fileNameTemplate: '{provider}_{account}_{date}_{time}_{recording}_{channel}',
      timeZone: 'UTC',
      package: 'files',
      organization: '',
      loadFiles: [],
      controlPrefix: 'REC',
      controlStart: 1,
      datEncoding: 'utf-8',
      profile: 'none',
    });
  });

  it.each([
    [{ format: 'original', channels: 'split' }, 'channels'],
    [{ format: 'original', sampleRate: 8000 }, 'sampleRate'],
    [{ format: 'original', loudnorm: true }, 'loudnorm'],
    [{ format: 'wav', bitrateKbps: 128 }, 'bitrateKbps'],
    [{ format: 'opus', sampleRate: 22050 }, 'sampleRate'],
    [{ format: 'mp3', sampleRate: 12345 }, 'sampleRate'],
    [{ format: 'mp3', fileNameTemplate: '{provider}_{secret}' }, 'fileNameTemplate'],
    [{ format: 'mp3', timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ format: 'aiff' }, 'format'],
  ])('rejects %j at %s', (input, key) => {
    const result = exportOptionsSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0])).toContain(key);
  });
});

describe('plan + buildConversionArgs', () => {
  const source: ExportSource = {
    recordingId: 'r1',
    provider: 'kallglot',
    accountName: 'a',
    sessionId: 's',
    callId: null,
    remoteId: 'rec_1',
    channel: 'mixed',
    recordedAt: null,
    durationSec: 10,
    contentType: 'audio/wav',
    format: 'wav',
    sha256: '0'.repeat(64),
    absolutePath: '/archive/x; rm -rf ~.wav',
  };

  it('split → two mono outputs panning LEFT to agent and RIGHT to customer', () => {
    const plans = planOutputs(
      source,
      parseExportOptions({ format: 'mp3', channels: 'split' }),
      null,
    );
    expect(plans.map((p) => p.channel)).toEqual(['agent', 'customer']);
    const [agent, customer] = plans.map((p) =>
      p.recipe.kind === 'ffmpeg' ? buildConversionArgs(p.recipe, source.absolutePath, '/t/o') : [],
    );
    expect(agent).toContain('pan=mono|c0=c0');
    expect(customer).toContain('pan=mono|c0=c1');
    // The path is one argument, never interpreted by a shell.
    expect(agent).toContain('file:/archive/x; rm -rf ~.wav');
    expect(agent!.slice(-4)).toEqual(['-n', '-f', 'mp3', '/t/o']);
  });

  it('loudnorm pins the source sample rate (single-pass loudnorm outputs 192 kHz)', () => {
    const [plan] = planOutputs(source, parseExportOptions({ format: 'flac', loudnorm: true }), {
      durationSec: 10,
      format: 'wav',
      streams: [{ codec: 'pcm_s16le', type: 'audio', sampleRate: 22050, channels: 2 }],
    });
    const args =
      plan!.recipe.kind === 'ffmpeg' ? buildConversionArgs(plan!.recipe, 'i.wav', 'o') : [];
    expect(args).toContain('loudnorm=I=-23:TP=-1:LRA=7');
    expect(args.join(' ')).toContain('-ar 22050');
  });

  it('"original" is a plain copy with the archived extension', () => {
    const [plan] = planOutputs(source, parseExportOptions({ format: 'original' }), null);
    expect(plan!.recipe).toEqual({ kind: 'copy' });
    expect(plan!.extension).toBe('wav');
  });
});

describe('manifest formats', () => {
  const row: ExportedFile = {
    outputName: 'a, "b".wav',
    outputSha256: 'f'.repeat(64),
    outputBytes: 10,
    outputDurationSec: 1.23456,
    recordingId: 'r1',
    provider: 'kallglot',
    accountName: '=HYPERLINK("http://x")',
    sessionId: null,
    callId: null,
    remoteId: '+1',
    channel: 'mixed',
    recordedAt: null,
    sourceSha256: 'e'.repeat(64),
    sourceBytes: 10,
    sourceDurationSec: 1.2,
    settings: {
      format: 'wav',
      audioCodec: 'pcm_s16le',
      bitrateKbps: null,
      vbrQuality: null,
      sampleRate: 'keep',
      channels: 'keep',
      splitSide: null,
      videoKept: false,
      loudnorm: false,
    },
  };

  it('CSV quotes what needs quoting and defuses spreadsheet formulas', () => {
    const line = manifestCsv([row]).split('\r\n')[1]!;
    expect(line.startsWith(`"a, ""b"".wav",${'f'.repeat(64)},10,1.235,r1,`)).toBe(true);
    expect(line).toContain(`,"'=HYPERLINK(""http://x"")",,,'+1,mixed,,`);
    expect(
      line.endsWith(
        'format=wav codec=pcm_s16le sample_rate=keep channels=keep video=none loudnorm=off',
      ),
    ).toBe(true);
  });

  it('SHA256SUMS uses two spaces and relative names', () => {
    expect(sha256Sums([{ name: 'a.wav', sha256: 'ab' }])).toBe('ab  a.wav\n');
  });
});
