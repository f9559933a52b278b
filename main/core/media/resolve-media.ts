import { resolveInsideArchive } from '../archive/inside-archive.ts';
import { AppError } from '../app-error.ts';
import type { Recording } from '../db/recording-row.ts';
import { isVideo } from '../library/recording-views.ts';
import { contentTypeForFormat } from '../providers/recording-media.ts';

/**
 * The archived file of a recording, resolved inside the archive (a path from the index is
 * never trusted to stay there), with the type to serve it as.
 */
export async function resolveMedia(
  archiveRoot: string,
  recording: Recording,
): Promise<{ absolutePath: string; contentType: string; isVideo: boolean }> {
  if (recording.state !== 'archived' || !recording.localPath) {
    throw new AppError(
      'not_found',
      'This recording is not archived yet, so it cannot be played offline.',
    );
  }
  const absolutePath = await resolveInsideArchive(archiveRoot, recording.localPath);
  const extension = recording.localPath.split('.').pop() ?? '';
  const video = isVideo(recording);
  const contentType =
    contentTypeForFormat(extension) ?? recording.contentType ?? 'application/octet-stream';
  return { absolutePath, contentType: video ? 'video/mp4' : contentType, isVideo: video };
}
