// The Electron shell's system notification for finished work: only while the user is away from
// the window, once per job or export, in words (never for a cancel).
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/core/api/event-bus.ts';
import type { FinishedWork } from '../../../main/core/contract/finished-work.ts';
import { notifyFinishedWork } from '../../../main/app/finish-notifier.ts';
import { allArchived, exportView, jobView } from '../../../renderer/src/test-support/views.ts';

function setUp(away: boolean) {
  const events = new EventBus();
  const shown: FinishedWork[] = [];
  const state = { away };
  notifyFinishedWork(events, {
    notifier: { show: (work) => shown.push(work) },
    userIsAway: () => state.away,
    open: () => undefined,
  });
  return { events, shown, state };
}

describe('system notification when work ends', () => {
  it('a sync that ends while the user is away is announced once, with its counts', () => {
    const { events, shown } = setUp(true);
    events.emit('jobProgress', { job: jobView(7), items: [] });
    expect(shown).toHaveLength(0);
    events.emit('jobProgress', { job: jobView(7, allArchived(3)), items: [] });
    events.emit('jobProgress', { job: jobView(7, allArchived(3)), items: [] });
    expect(shown).toEqual([
      {
        kind: 'sync',
        ok: true,
        title: 'Sync job 7 (Support): Done',
        body: '3 archived of 3 recordings found.',
      },
    ]);
  });

  it('nothing while the user is at the window, nor later for the same job', () => {
    const { events, shown, state } = setUp(false);
    events.emit('jobProgress', { job: jobView(8, allArchived(2)), items: [] });
    state.away = true;
    events.emit('jobProgress', { job: jobView(8, allArchived(2)), items: [] });
    expect(shown).toHaveLength(0);
  });

  it('an export that failed and a verify with problems say so; a cancel says nothing', () => {
    const { events, shown } = setUp(true);
    events.emit('jobProgress', { job: jobView(9, { state: 'cancelled' }), items: [] });
    events.emit('exportProgress', {
      export: exportView(4, { state: 'failed', error: 'The folder /mnt/ro is read-only.' }),
      fraction: 0.3,
    });
    events.emit('verifyFinished', { checked: 12, problems: 1 });
    expect(shown.map((w) => [w.ok, w.title, w.body])).toEqual([
      [false, 'Export 4 failed', 'The folder /mnt/ro is read-only.'],
      [
        false,
        'Verify found problems',
        '1 problem in 12 archived files: open Settings › Verify the archive for the files.',
      ],
    ]);
  });
});
