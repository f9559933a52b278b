import { spawn } from 'node:child_process';

/** The platform's "open this URL" command, as an argument array (never through a shell). */
export function browserCommand(
  url: string,
  platform: NodeJS.Platform = process.platform,
): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  // `start` is a cmd built-in; the empty title argument keeps it from eating the URL.
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url]];
  return ['xdg-open', [url]];
}

/** Opens the bridge's URL in the default browser; says so when none can be started. */
export function openInBrowser(url: string): void {
  const [command, args] = browserCommand(url);
  const child = spawn(command, args, { detached: true, stdio: 'ignore', shell: false });
  child.on('error', () => console.error(`Could not open a browser: open ${url} yourself.`));
  child.unref();
}
