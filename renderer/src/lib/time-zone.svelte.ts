// The zone every date on screen is shown in: the user's choice in Settings, else the system's.
// One reactive value, read by the date formatters, so every view follows a change at once.

const chosen = $state<{ zone: string | null }>({ zone: null });

/** The zone this computer is set to (what "the system's" means). */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The zone dates are shown in now; also the export dialog's default time zone. */
export function displayTimeZone(): string {
  return chosen.zone ?? systemTimeZone();
}

/** Called with the saved setting (null: follow the system). */
export function setDisplayTimeZone(zone: string | null): void {
  chosen.zone = zone;
}

/** Every IANA zone this runtime knows, for the Settings picker. */
export function knownTimeZones(): string[] {
  const zones =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}
