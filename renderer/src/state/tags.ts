/** Splits a tags field ("fraud, escalated ,  vip") into clean, unique tags. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((tag) => tag.trim()))].filter((tag) => tag !== '');
}
