import { Notification } from 'electron';
import type { Notifier } from './finish-notifier.ts';

/** System notifications through Electron, where the OS has them. */
export const electronNotifier: Notifier = {
  show(work, onclick) {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title: `Recvault: ${work.title}`, body: work.body });
    notification.on('click', onclick);
    notification.show();
  },
};
