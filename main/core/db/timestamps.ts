// Every timestamp in the index is an ISO 8601 UTC string with milliseconds
// (2024-01-02T03:04:05.000Z), so string order is time order and range filters and keyset
// cursors can compare them as text.

/** Normalises a provider timestamp; an unparseable one becomes null (the raw JSON keeps it). */
export function toIsoOrNull(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export function addDays(now: Date, days: number): Date {
  return new Date(now.getTime() + days * 86_400_000);
}
