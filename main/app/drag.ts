import type { IpcMainEvent, NativeImage } from 'electron';
import { dragRequestSchema } from '../core/drag/drag-files.ts';
import type { Engine } from '../core/engine.ts';

/**
 * `startDrag` from the renderer's dragstart: ids in, checked archive (or cache) files out to
 * the OS. Untrusted senders and malformed ids are ignored.
 */
export async function handleStartDrag(
  engine: Engine,
  event: Pick<IpcMainEvent, 'sender'>,
  rawIds: unknown,
  isTrusted: boolean,
  icon: NativeImage,
  log: (message: string) => void,
): Promise<void> {
  if (!isTrusted) return;
  const ids = dragRequestSchema.safeParse(rawIds);
  if (!ids.success) {
    log('startDrag: refused malformed recording ids');
    return;
  }
  try {
    const files = await engine.drag.files(ids.data);
    event.sender.startDrag({ file: files[0]!, files, icon });
  } catch (error) {
    log(`startDrag: ${error instanceof Error ? error.message : String(error)}`);
  }
}
