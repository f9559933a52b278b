// Toasts: a sync, export or verify that ends while the user is on another screen is announced
// in the app (the Electron shell adds a system notification when the window is not in front).
// What ends, and the words, come from FinishWatcher, shared with that notification.
import {
  FinishWatcher,
  type FinishedWork,
  type WorkKind,
} from '../../../main/core/contract/finished-work.ts';
import type { Navigation, ScreenId } from './navigation.svelte.ts';
import type { ApiOf } from './types.ts';

export interface Notice extends FinishedWork {
  id: number;
  /** The screen that shows this work in full. */
  screen: ScreenId;
}

/** Where each kind of work is shown: no toast while the user is already there. */
export const WORK_SCREEN: Record<WorkKind, ScreenId> = {
  sync: 'sync',
  export: 'exports',
  verify: 'settings',
};

/** At most this many toasts at once; an older one goes first. */
export const MAX_NOTICES = 3;
/** A toast about work that went well leaves by itself; one about problems stays until dismissed. */
export const OK_NOTICE_MS = 15_000;

export class Notices {
  list = $state.raw<Notice[]>([]);
  #next = 1;

  constructor(
    private readonly api: ApiOf<'onJobProgress' | 'onExportProgress' | 'onVerifyFinished'>,
    private readonly nav: Pick<Navigation, 'current'>,
  ) {}

  connect(): () => void {
    const watcher = new FinishWatcher();
    // The pending timers, for the cleanup only: nothing renders from them.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const seen = (finished: FinishedWork | null): void => {
      if (!finished) return;
      const screen = WORK_SCREEN[finished.kind];
      if (this.nav.current === screen) return;
      const notice: Notice = { ...finished, id: this.#next++, screen };
      this.list = [...this.list, notice].slice(-MAX_NOTICES);
      if (notice.ok) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          this.dismiss(notice.id);
        }, OK_NOTICE_MS);
        timers.add(timer);
      }
    };
    const stops = [
      this.api.onJobProgress((p) => seen(watcher.see('jobProgress', p))),
      this.api.onExportProgress((p) => seen(watcher.see('exportProgress', p))),
      this.api.onVerifyFinished((p) => seen(watcher.see('verifyFinished', p))),
    ];
    return () => {
      stops.forEach((stop) => stop());
      timers.forEach((timer) => clearTimeout(timer));
    };
  }

  dismiss(id: number): void {
    this.list = this.list.filter((notice) => notice.id !== id);
  }

  /** Going to a screen settles its toasts: the user now sees that work in full. */
  settle(screen: ScreenId): void {
    if (this.list.some((notice) => notice.screen === screen)) {
      this.list = this.list.filter((notice) => notice.screen !== screen);
    }
  }
}
