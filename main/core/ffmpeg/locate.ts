// Finds the ffmpeg and ffprobe binaries. Order for ffmpeg: FFMPEG_PATH → the optional
// ffmpeg-static package → PATH. ffmpeg-static ships no ffprobe, so for ffprobe: FFPROBE_PATH →
// a sibling of the ffmpeg found → PATH. An explicit *_PATH that points nowhere is an error, not
// something to silently route around: the user asked for that binary.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { findOnPath } from './find-on-path.ts';

export type ToolSource = 'env' | 'ffmpeg-static' | 'sibling' | 'path';

export interface ToolLocation {
  path: string;
  source: ToolSource;
}

export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
}

export interface LocateDeps {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  isExecutable: (file: string) => boolean;
  /** The path ffmpeg-static exports; null when the package is missing or has no binary. */
  loadFfmpegStatic: () => string | null;
}

export class ToolNotFoundError extends Error {
  override readonly name = 'ToolNotFoundError';
  readonly tool: 'ffmpeg' | 'ffprobe';
  readonly tried: readonly string[];

  constructor(tool: 'ffmpeg' | 'ffprobe', tried: readonly string[]) {
    super(`${tool} not found. Tried: ${tried.join('; ')}.`);
    this.tool = tool;
    this.tried = tried;
  }
}

export function defaultLocateDeps(): LocateDeps {
  return {
    env: process.env,
    platform: process.platform,
    isExecutable,
    loadFfmpegStatic,
  };
}

export function locateFfmpeg(deps: Partial<LocateDeps> = {}): ToolLocation {
  const d = { ...defaultLocateDeps(), ...deps };
  return locateTool('ffmpeg', 'FFMPEG_PATH', d, () => {
    const staticPath = d.loadFfmpegStatic();
    if (!staticPath) return 'ffmpeg-static (package not installed)';
    const unpacked = unpackedAsarPath(staticPath);
    if (d.isExecutable(unpacked)) return { path: unpacked, source: 'ffmpeg-static' };
    return `ffmpeg-static (binary missing at ${unpacked})`;
  });
}

/** `ffmpegPath` is the ffmpeg already found, if any; its directory is searched for ffprobe. */
export function locateFfprobe(
  ffmpegPath: string | null,
  deps: Partial<LocateDeps> = {},
): ToolLocation {
  const d = { ...defaultLocateDeps(), ...deps };
  return locateTool('ffprobe', 'FFPROBE_PATH', d, () => {
    if (!ffmpegPath) return 'next to ffmpeg (no ffmpeg found)';
    const pathApi = d.platform === 'win32' ? path.win32 : path.posix;
    const sibling = pathApi.join(
      pathApi.dirname(ffmpegPath),
      d.platform === 'win32' ? 'ffprobe.exe' : 'ffprobe',
    );
    if (d.isExecutable(sibling)) return { path: sibling, source: 'sibling' };
    return `next to ffmpeg (${sibling} missing)`;
  });
}

/**
 * The search order both tools share: their *_PATH variable, then `bundled` (a location, or
 * what was tried there), then PATH. Throws ToolNotFoundError listing every place tried.
 */
function locateTool(
  tool: 'ffmpeg' | 'ffprobe',
  envName: 'FFMPEG_PATH' | 'FFPROBE_PATH',
  d: LocateDeps,
  bundled: () => ToolLocation | string,
): ToolLocation {
  const fromEnv = fromEnvVar(tool, envName, d);
  if (fromEnv) return fromEnv;
  const tried = [`${envName} (not set)`];
  const found = bundled();
  if (typeof found !== 'string') return found;
  tried.push(found);
  const onPath = findOnPath(tool, d);
  if (onPath) return { path: onPath, source: 'path' };
  tried.push(`"${tool}" on PATH (not found)`);
  throw new ToolNotFoundError(tool, tried);
}

/** Both tools, ffprobe looked for next to the ffmpeg found. */
export function locateFfmpegTools(deps: Partial<LocateDeps> = {}): FfmpegTools {
  const ffmpeg = locateFfmpeg(deps).path;
  return { ffmpeg, ffprobe: locateFfprobe(ffmpeg, deps).path };
}

/**
 * electron-builder unpacks native binaries to app.asar.unpacked, but require() inside the asar
 * still reports the app.asar path, and a binary cannot be spawned from inside an archive.
 */
export function unpackedAsarPath(file: string): string {
  return file.replace(/([\\/])app\.asar(?=[\\/])/, '$1app.asar.unpacked');
}

function fromEnvVar(
  tool: 'ffmpeg' | 'ffprobe',
  name: 'FFMPEG_PATH' | 'FFPROBE_PATH',
  d: LocateDeps,
): ToolLocation | null {
  const value = d.env[name]?.trim();
  if (!value) return null;
  if (d.isExecutable(value)) return { path: value, source: 'env' };
  throw new ToolNotFoundError(tool, [`${name}=${value} (no executable file there)`]);
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function loadFfmpegStatic(): string | null {
  try {
    // An optional dependency: it may be absent, or present with its download skipped.
    const required: unknown = createRequire(import.meta.url)('ffmpeg-static');
    return typeof required === 'string' && required ? required : null;
  } catch {
    return null;
  }
}
