export const SCREENS = [
  { id: 'library', label: 'Library' },
  { id: 'sync', label: 'Sync' },
  { id: 'accounts', label: 'Accounts' },
  { id: 'exports', label: 'Exports' },
  { id: 'settings', label: 'Settings' },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];

/** Which screen is showing. Kept in memory: the address bar belongs to the bridge's token. */
export class Navigation {
  current = $state<ScreenId>('library');
  /** The element id to focus once the screen shows (else its heading), for keyboard users. */
  focusId: string | null = null;
  /** Bumped on every navigation, so going to the current screen still moves focus. */
  visits = $state(0);

  go(screen: ScreenId, focusId: string | null = null): void {
    this.focusId = focusId;
    this.current = screen;
    this.visits++;
  }
}
