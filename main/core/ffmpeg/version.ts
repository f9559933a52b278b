// The ffmpeg version string, recorded in export manifests so a conversion can be reproduced.
import { execFile } from 'node:child_process';

/** First line of `ffmpeg -version`, e.g. "ffmpeg version 5.1.6-0+deb12u1 …"; null on failure. */
export function ffmpegVersion(ffmpegPath: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(ffmpegPath, ['-hide_banner', '-version'], { windowsHide: true }, (error, stdout) => {
      resolve(error ? null : (stdout.split(/\r?\n/)[0]?.trim() ?? null));
    });
  });
}
