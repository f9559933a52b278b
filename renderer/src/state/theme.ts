import type { SettingsView } from '../../../main/core/contract/types.ts';

/**
 * Applies the theme setting: "system" removes the override so the CSS follows
 * prefers-color-scheme; "light"/"dark" pin it through <html data-theme>.
 */
export function applyTheme(theme: SettingsView['theme'], root = document.documentElement): void {
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}
