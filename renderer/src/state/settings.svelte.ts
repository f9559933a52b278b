import type { RequestArgs } from '../../../main/core/contract/requests.ts';
import type { SettingsView } from '../../../main/core/contract/types.ts';
import { call, describeFailure } from '../lib/failure.ts';
import { applyTheme } from './theme.ts';
import { setDisplayTimeZone } from '../lib/time-zone.svelte.ts';
import type { ApiOf } from './types.ts';

/** The app's settings, loaded once, saved one change at a time, with the theme applied. */
export class SettingsState {
  value = $state.raw<SettingsView | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  saving = $state(false);

  constructor(private readonly api: ApiOf<'settingsGet' | 'settingsUpdate'>) {}

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    const result = await call(() => this.api.settingsGet({}));
    this.loading = false;
    if (result.ok) this.accept(result.value);
    else this.error = describeFailure(result);
  }

  /** Saves a change; returns the error in words, or null when saved. */
  async update(patch: RequestArgs<'settingsUpdate'>): Promise<string | null> {
    this.saving = true;
    const result = await call(() => this.api.settingsUpdate(patch));
    this.saving = false;
    if (!result.ok) return describeFailure(result);
    this.accept(result.value);
    return null;
  }

  private accept(value: SettingsView): void {
    this.value = value;
    applyTheme(value.theme);
    setDisplayTimeZone(value.timeZone);
  }
}
