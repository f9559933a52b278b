import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';

/** Where the e2e run leaves its screenshots (gitignored; the README names it). */
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../screenshots');

/**
 * Screenshots the page as it is, once in light and once in dark. The theme setting defaults to
 * "system", so emulating prefers-color-scheme switches the app's palette.
 */
export async function shootBothThemes(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // Let the canvas waveform redraw with the new palette.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
