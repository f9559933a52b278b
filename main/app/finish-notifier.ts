// A system notification when a sync, an export or a verify ends while the user is away from
// the window (another app, minimised, closed to the tray). In the window the renderer's toast
// says the same (both read FinishWatcher). The notifier is injected: Electron's in the app,
// a recorder in tests.
import type { EventBus } from '../core/api/event-bus.ts';
import { FinishWatcher, type FinishedWork } from '../core/contract/finished-work.ts';

export interface Notifier {
  show(work: FinishedWork, onclick: () => void): void;
}

export interface FinishNotifierDeps {
  notifier: Notifier;
  /** True when the window is not in front of the user (unfocused, hidden or closed). */
  userIsAway: () => boolean;
  /** Brings the window back (a click on the notification). */
  open: () => void;
}

export function notifyFinishedWork(events: EventBus, deps: FinishNotifierDeps): () => void {
  const watcher = new FinishWatcher();
  return events.subscribe((channel, payload) => {
    // Seen in every case, so work that ends while the user looks is never announced later.
    const finished = watcher.see(channel, payload);
    if (finished && deps.userIsAway()) deps.notifier.show(finished, deps.open);
  });
}
