import type { OverviewView } from '../../../main/core/contract/overview.ts';
import { loadInto } from './engine-calls.ts';
import type { ApiOf } from './types.ts';

/** Coalesces the events of a running sync into one re-read of the figures. */
export const OVERVIEW_REFRESH_MS = 1000;

/** The overview's figures, re-read when the library, a job, an account or a verify changes. */
export class OverviewState {
  view = $state.raw<OverviewView | null>(null);
  loaded = $state(false);
  error = $state<string | null>(null);

  constructor(
    private readonly api: ApiOf<
      'overview' | 'onLibraryChanged' | 'onJobProgress' | 'onAccountsChanged' | 'onVerifyFinished'
    >,
  ) {}

  load(): Promise<void> {
    return loadInto(
      this,
      () => this.api.overview({}),
      (view) => (this.view = view),
    );
  }

  connect(): () => void {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let again = false;
    // Throttled, with one more read after the burst: the last change is always shown.
    const schedule = (): void => {
      if (timer !== null) {
        again = true;
        return;
      }
      timer = setTimeout(() => {
        timer = null;
        void this.load();
        if (again) {
          again = false;
          schedule();
        }
      }, OVERVIEW_REFRESH_MS);
    };
    // An account's status or last test, and the last verify, are figures here too.
    const stops = [
      this.api.onLibraryChanged(schedule),
      this.api.onJobProgress(schedule),
      this.api.onAccountsChanged(schedule),
      this.api.onVerifyFinished(schedule),
    ];
    return () => {
      stops.forEach((stop) => stop());
      if (timer !== null) clearTimeout(timer);
    };
  }
}
