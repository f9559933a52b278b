import type { NativeImage } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handleStartDrag } from '../../../main/app/drag.ts';
import { handleMediaRequest, mediaUrl } from '../../../main/app/media-protocol.ts';
import { overallProgress } from '../../../main/app/taskbar-progress.ts';
import type { JobView } from '../../../main/core/contract/types.ts';
import type { Engine } from '../../../main/core/engine.ts';
import { archivedKallglotSession, type ArchivedSession } from '../../support/engine.ts';

let session: ArchivedSession | null = null;

afterEach(async () => {
  await session?.close();
  session = null;
});

async function archived(): Promise<{ e: Engine; id: number; size: number }> {
  session = await archivedKallglotSession('sess_M1');
  const row = session.engine.db
    .prepare(`SELECT id, local_size FROM recordings WHERE channel = 'mixed'`)
    .get() as { id: number; local_size: number };
  return { e: session.engine, id: row.id, size: row.local_size };
}

describe('media protocol', () => {
  it('serves an archived recording by opaque id, with Range for seeking', async () => {
    const { e, id, size } = await archived();
    const whole = await handleMediaRequest(e, new Request(mediaUrl(id)));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/mpeg');
    expect((await whole.arrayBuffer()).byteLength).toBe(size);
    const part = await handleMediaRequest(
      e,
      new Request(mediaUrl(id), { headers: { range: 'bytes=100-199' } }),
    );
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${size}`);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    const past = await handleMediaRequest(
      e,
      new Request(mediaUrl(id), { headers: { range: `bytes=${size}-` } }),
    );
    expect(past.status).toBe(416);
  });

  it('answers 404 for unknown ids, other hosts and paths', async () => {
    const { e } = await archived();
    expect((await handleMediaRequest(e, new Request(mediaUrl(9999)))).status).toBe(404);
    expect(
      (await handleMediaRequest(e, new Request('recvault-media://file/etc/passwd'))).status,
    ).toBe(404);
    expect(
      (await handleMediaRequest(e, new Request('recvault-media://recording/..%2F..%2Fetc'))).status,
    ).toBe(404);
  });
});

describe('startDrag', () => {
  const icon = {} as NativeImage;

  it('starts a drag of the archived files for a trusted sender', async () => {
    const { e, id } = await archived();
    const startDrag = vi.fn();
    await handleStartDrag(e, { sender: { startDrag } } as never, [id], true, icon, () => {});
    expect(startDrag).toHaveBeenCalledTimes(1);
    const item = startDrag.mock.calls[0]![0];
    expect(item.files).toHaveLength(1);
    expect(item.file.startsWith(e.archiveDir())).toBe(true);
    expect(item.icon).toBe(icon);
  });

  it('ignores untrusted senders and paths or junk instead of ids', async () => {
    const { e, id } = await archived();
    const startDrag = vi.fn();
    const log = vi.fn();
    await handleStartDrag(e, { sender: { startDrag } } as never, [id], false, icon, log);
    await handleStartDrag(e, { sender: { startDrag } } as never, ['/etc/passwd'], true, icon, log);
    await handleStartDrag(e, { sender: { startDrag } } as never, [], true, icon, log);
    expect(startDrag).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith('startDrag: refused malformed recording ids');
  });
});

describe('taskbar progress', () => {
  const job = (state: JobView['state'], done: number, total: number) =>
    ({ state, totals: { bytesDone: done, bytesTotal: total } }) as JobView;

  it('shows the running jobs bytes, indeterminate while discovering, hidden when idle', () => {
    expect(overallProgress([])).toBe(-1);
    expect(overallProgress([job('done', 10, 10)])).toBe(-1);
    expect(overallProgress([job('running', 0, 0)])).toBe(2);
    expect(
      overallProgress([job('running', 25, 100), job('running', 25, 100), job('paused', 0, 50)]),
    ).toBe(0.25);
  });
});
