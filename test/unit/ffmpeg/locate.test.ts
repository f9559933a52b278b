import { describe, expect, it } from 'vitest';
import {
  ToolNotFoundError,
  locateFfmpeg,
  locateFfprobe,
  unpackedAsarPath,
  type LocateDeps,
} from '../../../main/core/ffmpeg/locate.ts';

// A pretend file system: only the listed paths are executables.
function deps(executables: string[], overrides: Partial<LocateDeps> = {}): Partial<LocateDeps> {
  const files = new Set(executables);
  return {
    env: {},
    platform: 'linux',
    isExecutable: (file) => files.has(file),
    loadFfmpegStatic: () => null,
    ...overrides,
  };
}

describe('locateFfmpeg', () => {
  it('prefers FFMPEG_PATH over ffmpeg-static and PATH', () => {
    const found = locateFfmpeg(
      deps(['/opt/custom/ffmpeg', '/static/ffmpeg', '/usr/bin/ffmpeg'], {
        env: { FFMPEG_PATH: '/opt/custom/ffmpeg', PATH: '/usr/bin' },
        loadFfmpegStatic: () => '/static/ffmpeg',
      }),
    );
    expect(found).toEqual({ path: '/opt/custom/ffmpeg', source: 'env' });
  });

  it('reports a FFMPEG_PATH that points nowhere instead of silently using another binary', () => {
    expect(() =>
      locateFfmpeg(deps(['/usr/bin/ffmpeg'], { env: { FFMPEG_PATH: '/nope', PATH: '/usr/bin' } })),
    ).toThrow(/FFMPEG_PATH=\/nope/);
  });

  it('uses ffmpeg-static when FFMPEG_PATH is not set', () => {
    const found = locateFfmpeg(
      deps(['/app/node_modules/ffmpeg-static/ffmpeg', '/usr/bin/ffmpeg'], {
        env: { PATH: '/usr/bin' },
        loadFfmpegStatic: () => '/app/node_modules/ffmpeg-static/ffmpeg',
      }),
    );
    expect(found).toEqual({
      path: '/app/node_modules/ffmpeg-static/ffmpeg',
      source: 'ffmpeg-static',
    });
  });

  it('rewrites an Electron app.asar path to app.asar.unpacked', () => {
    const packed =
      '/Applications/Recvault.app/Contents/Resources/app.asar/node_modules/ffmpeg-static/ffmpeg';
    const unpacked = packed.replace('app.asar/', 'app.asar.unpacked/');
    const found = locateFfmpeg(deps([unpacked], { loadFfmpegStatic: () => packed }));
    expect(found).toEqual({ path: unpacked, source: 'ffmpeg-static' });
    expect(
      unpackedAsarPath('C:\\R\\resources\\app.asar\\node_modules\\ffmpeg-static\\ffmpeg.exe'),
    ).toBe('C:\\R\\resources\\app.asar.unpacked\\node_modules\\ffmpeg-static\\ffmpeg.exe');
    // Already unpacked paths, and names that merely contain "app.asar", are left alone.
    expect(unpackedAsarPath('/r/app.asar.unpacked/x/ffmpeg')).toBe('/r/app.asar.unpacked/x/ffmpeg');
    expect(unpackedAsarPath('/r/myapp.asar/x/ffmpeg')).toBe('/r/myapp.asar/x/ffmpeg');
  });

  it('falls back to PATH when ffmpeg-static is missing or its binary was not downloaded', () => {
    const env = { PATH: '/nothing/here:/usr/local/bin:/usr/bin' };
    expect(locateFfmpeg(deps(['/usr/bin/ffmpeg'], { env }))).toEqual({
      path: '/usr/bin/ffmpeg',
      source: 'path',
    });
    expect(
      locateFfmpeg(deps(['/usr/bin/ffmpeg'], { env, loadFfmpegStatic: () => '/gone/ffmpeg' })),
    ).toEqual({ path: '/usr/bin/ffmpeg', source: 'path' });
  });

  it('searches PATH with PATHEXT on Windows and ignores empty PATH entries', () => {
    const found = locateFfmpeg(
      deps(['C:\\ffmpeg\\bin\\ffmpeg.exe'], {
        platform: 'win32',
        env: { Path: ';C:\\Windows;C:\\ffmpeg\\bin', PATHEXT: '.COM;.EXE;.BAT' },
      }),
    );
    expect(found).toEqual({ path: 'C:\\ffmpeg\\bin\\ffmpeg.exe', source: 'path' });
  });

  it('names all three places tried when ffmpeg is nowhere', () => {
    let error: unknown;
    try {
      locateFfmpeg(deps([], { env: { PATH: '/usr/bin' }, loadFfmpegStatic: () => '/s/ffmpeg' }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ToolNotFoundError);
    const message = (error as Error).message;
    expect(message).toMatch(/^ffmpeg not found\./);
    expect(message).toContain('FFMPEG_PATH (not set)');
    expect(message).toContain('ffmpeg-static (binary missing at /s/ffmpeg)');
    expect(message).toContain('"ffmpeg" on PATH (not found)');
    expect((error as ToolNotFoundError).tried).toHaveLength(3);
  });

  it('finds the real ffmpeg of this machine with the default dependencies', () => {
    expect(locateFfmpeg().path).toMatch(/ffmpeg(\.exe)?$/);
  });
});

describe('locateFfprobe', () => {
  it('prefers FFPROBE_PATH', () => {
    const found = locateFfprobe(
      '/static/ffmpeg',
      deps(['/x/ffprobe', '/static/ffprobe'], { env: { FFPROBE_PATH: '/x/ffprobe' } }),
    );
    expect(found).toEqual({ path: '/x/ffprobe', source: 'env' });
  });

  it('then looks next to the ffmpeg found, then on PATH', () => {
    expect(
      locateFfprobe(
        '/opt/ff/ffmpeg',
        deps(['/opt/ff/ffprobe', '/usr/bin/ffprobe'], { env: { PATH: '/usr/bin' } }),
      ),
    ).toEqual({ path: '/opt/ff/ffprobe', source: 'sibling' });
    expect(
      locateFfprobe('/static/ffmpeg', deps(['/usr/bin/ffprobe'], { env: { PATH: '/usr/bin' } })),
    ).toEqual({ path: '/usr/bin/ffprobe', source: 'path' });
  });

  it('names all three places tried when ffprobe is nowhere', () => {
    expect(() => locateFfprobe('/static/ffmpeg', deps([], { env: { PATH: '/usr/bin' } }))).toThrow(
      'ffprobe not found. Tried: FFPROBE_PATH (not set); next to ffmpeg (/static/ffprobe missing); "ffprobe" on PATH (not found).',
    );
  });
});
