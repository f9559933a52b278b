// What a state badge (StateBadge.svelte) shows: a tone for its colour, an icon and the words.
export type BadgeTone = 'ok' | 'danger' | 'warn' | 'busy' | 'neutral';

export interface BadgeLook {
  tone: BadgeTone;
  /** A shape that differs per tone, so the state never rests on colour alone. */
  icon: string;
  /** The state in words: visible, and the badge's accessible name. */
  label: string;
}
