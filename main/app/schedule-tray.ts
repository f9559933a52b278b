// Schedules in the Electron shell: a notification when a scheduled sync fails, and a tray icon
// that keeps Recvault (and so its schedules) running after the last window closes.
import { app, Menu, Notification, Tray, type NativeImage } from 'electron';
import type { EventBus } from '../core/api/event-bus.ts';

/** Shows a system notification for every scheduled run that failed (where the OS has them). */
export function notifyFailedScheduleRuns(events: EventBus, onclick: () => void): () => void {
  return events.subscribe((channel, payload) => {
    if (channel !== 'scheduleRun') return;
    const run = payload as { ok: boolean; message: string };
    if (run.ok || !Notification.isSupported()) return;
    const notification = new Notification({
      title: 'Recvault: a scheduled sync failed',
      body: run.message,
    });
    notification.on('click', onclick);
    notification.show();
  });
}

let tray: Tray | null = null;

/**
 * When the last window closes and some schedule is enabled: stay running in the tray (Open,
 * Quit) instead of quitting, so the schedules keep archiving. Returns whether it stayed.
 */
export function stayInTray(options: {
  hasSchedules: boolean;
  icon: NativeImage;
  open: () => void;
}): boolean {
  if (!options.hasSchedules) return false;
  if (tray) return true;
  tray = new Tray(options.icon);
  tray.setToolTip('Recvault: scheduled syncs are running');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Recvault', click: options.open },
      { type: 'separator' },
      { label: 'Quit', click: () => app.quit() },
    ]),
  );
  tray.on('click', options.open);
  return true;
}

/** The window is back: the tray icon goes. */
export function leaveTray(): void {
  tray?.destroy();
  tray = null;
}
