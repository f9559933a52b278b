export const SCREENS = [
  { id: 'overview', label: 'Overview' },
  { id: 'library', label: 'Library' },
  { id: 'sync', label: 'Sync' },
  { id: 'accounts', label: 'Accounts' },
  { id: 'exports', label: 'Exports' },
  { id: 'report', label: 'Report' },
  { id: 'compliance', label: 'Compliance' },
  { id: 'settings', label: 'Settings' },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];

/** Which screen is showing. Kept in memory: the address bar belongs to the bridge's token. */
export class Navigation {
  // The overview is home; `?screen=library` (say) opens another first (tests, benchmarks).
  current = $state<ScreenId>(initialScreen());
  /** The element id to focus once the screen shows (else its heading), for keyboard users. */
  focusId: string | null = null;
  /** Bumped on every navigation, so going to the current screen still moves focus. */
  visits = $state(0);
  /** What the new screen should open at once (e.g. the account form), taken once. */
  private intent: string | null = null;

  /** Goes to a screen and asks it to open something (read with `takeIntent`). */
  open(screen: ScreenId, intent: string, focusId: string | null = null): void {
    this.intent = intent;
    this.go(screen, focusId);
  }

  /** Whether the screen was asked to open `intent`; asking again answers false. */
  takeIntent(intent: string): boolean {
    if (this.intent !== intent) return false;
    this.intent = null;
    return true;
  }

  go(screen: ScreenId, focusId: string | null = null): void {
    this.focusId = focusId;
    this.current = screen;
    this.visits++;
  }
}

function initialScreen(): ScreenId {
  const asked =
    typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('screen');
  return SCREENS.find((screen) => screen.id === asked)?.id ?? 'overview';
}
