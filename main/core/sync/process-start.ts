import fs from 'node:fs';

/**
 * When process `pid` started, as an opaque token, to tell it from a later process given the same
 * pid. Linux: field 22 of /proc/<pid>/stat (clock ticks since boot). Elsewhere (macOS, Windows)
 * Node has no cheap way to ask, so null: best effort, shown to the user as "started unknown".
 */
export function processStartTime(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces or ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[22 - 3] ?? null;
}
