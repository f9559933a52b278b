/** What a key press asks of the player (or the search box). */
export type PlayerCommand =
  | { kind: 'toggle' }
  | { kind: 'pause' }
  | { kind: 'seekBy'; seconds: number }
  | { kind: 'rateBy'; step: number }
  | { kind: 'focusSearch' };

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target?: EventTarget | null;
}

/** Keys belong to the control that has focus when it uses them itself (typing, buttons, lists). */
function targetKeepsKeys(target: EventTarget | null | undefined): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  return (
    element.closest(
      'input, textarea, select, button, a[href], [role="button"], [role="slider"], [role="listbox"], dialog',
    ) !== null
  );
}

/**
 * The player's keyboard: space play/pause, ←/→ ±5 s, J/K/L back 30 s / pause / forward 30 s,
 * < and > slower/faster, and / to focus the search box.
 */
export function playerCommandFor(event: KeyLike): PlayerCommand | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (targetKeepsKeys(event.target)) return null;
  switch (event.key) {
    case ' ':
    case 'Spacebar':
      return { kind: 'toggle' };
    case 'ArrowLeft':
      return { kind: 'seekBy', seconds: -5 };
    case 'ArrowRight':
      return { kind: 'seekBy', seconds: 5 };
    case 'j':
    case 'J':
      return { kind: 'seekBy', seconds: -30 };
    case 'k':
    case 'K':
      return { kind: 'pause' };
    case 'l':
    case 'L':
      return { kind: 'seekBy', seconds: 30 };
    case '<':
      return { kind: 'rateBy', step: -1 };
    case '>':
      return { kind: 'rateBy', step: 1 };
    case '/':
      return { kind: 'focusSearch' };
    default:
      return null;
  }
}
