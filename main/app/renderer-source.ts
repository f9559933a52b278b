/**
 * The dev server the window loads instead of the built page, or undefined. Honoured only in an
 * unpackaged run (`npm run dev`): in an installed app an inherited ELECTRON_RENDERER_URL would
 * otherwise load any web page into the window and make it a trusted IPC sender.
 */
export function rendererDevServerUrl(
  isPackaged: boolean,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (isPackaged) return undefined;
  return env.ELECTRON_RENDERER_URL || undefined;
}
