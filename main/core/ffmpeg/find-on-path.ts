// Searches PATH the way a shell would, without running one. Pure apart from the injected
// `isExecutable`, so tests can describe any file system.
import path from 'node:path';

export interface PathSearchEnv {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  isExecutable: (file: string) => boolean;
}

/** The first executable called `name` in the PATH directories, or null. */
export function findOnPath(name: string, search: PathSearchEnv): string | null {
  const pathApi = search.platform === 'win32' ? path.win32 : path.posix;
  // Windows spells it "Path" in some environments; the lookup is case-insensitive there.
  const pathValue =
    search.platform === 'win32' ? getCaseInsensitive(search.env, 'PATH') : search.env.PATH;
  if (!pathValue) return null;
  const candidates = executableNames(name, search);
  for (const dir of pathValue.split(pathApi.delimiter)) {
    // An empty entry means the current directory; never run a binary from there implicitly.
    if (!dir) continue;
    for (const candidate of candidates) {
      const file = pathApi.join(dir.replace(/^"(.*)"$/, '$1'), candidate);
      if (search.isExecutable(file)) return file;
    }
  }
  return null;
}

function executableNames(name: string, search: PathSearchEnv): string[] {
  if (search.platform !== 'win32') return [name];
  const pathext = getCaseInsensitive(search.env, 'PATHEXT') ?? '.EXE;.CMD;.BAT;.COM';
  const exts = pathext
    .split(';')
    .map((ext) => ext.trim().toLowerCase())
    .filter((ext) => ext.startsWith('.'));
  // Only real executables: ffmpeg ships as .exe, and a .cmd/.bat shim would need a shell.
  return exts.includes('.exe') ? [`${name}.exe`] : [];
}

function getCaseInsensitive(
  env: Readonly<Record<string, string | undefined>>,
  key: string,
): string | undefined {
  const found = Object.keys(env).find((k) => k.toUpperCase() === key);
  return found === undefined ? undefined : env[found];
}
