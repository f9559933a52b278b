import { safeSegment } from '../archive/layout.ts';
import type { ProviderKind } from '../providers/types.ts';

/**
 * The vault's object keys. A recording's key depends only on what every officer's index knows
 * alike (the provider, the account's name, the recorded date and the provider's recording id),
 * never on a local index id, so two officers syncing one account reach the same key and the
 * second finds the object there (HEAD, same SHA-256) instead of writing another.
 */
export interface RecordingKeyInput {
  provider: ProviderKind;
  accountName: string;
  remoteId: string;
  recordedAt: string | null;
  /** The media file's extension in the local archive (wav, mp3, …). */
  extension: string;
}

/** A prefix given by the officer, normalised to '' or 'name/'. */
export function normalisePrefix(prefix: string | null | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

function datePath(iso: string | null): string {
  const t = iso === null ? Number.NaN : Date.parse(iso);
  if (Number.isNaN(t)) return 'undated';
  return new Date(t).toISOString().slice(0, 10).replaceAll('-', '/');
}

/** `<prefix>recordings/<provider>/<account>/<YYYY>/<MM>/<DD>/<remote-id>/` */
export function recordingFolder(prefix: string, input: RecordingKeyInput): string {
  return (
    [
      `${prefix}recordings`,
      input.provider,
      safeSegment(input.accountName),
      datePath(input.recordedAt),
      safeSegment(input.remoteId),
    ].join('/') + '/'
  );
}

export function recordingKeys(
  prefix: string,
  input: RecordingKeyInput,
): { media: string; sidecar: string } {
  const folder = recordingFolder(prefix, input);
  return { media: `${folder}media.${input.extension}`, sidecar: `${folder}sidecar.json` };
}

/** A signed checkpoint's files, by their local file names (checkpoints/ in the data dir). */
export function checkpointKey(prefix: string, fileName: string): string {
  return `${prefix}checkpoints/${fileName}`;
}

export function checkpointsPrefix(prefix: string): string {
  return `${prefix}checkpoints/`;
}

/** `<prefix>index/`: the day bundles of the recordings' sidecars. */
export function bundlesPrefix(prefix: string): string {
  return `${prefix}index/`;
}

/** A recording's folder (`…/<remote-id>/`) from one of its object keys. */
export function folderOfKey(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}

/**
 * The day-bundle folder a recording belongs to, from its media key:
 * `<prefix>recordings/<provider>/<account>/<YYYY>/<MM>/<DD>/<id>/media.x` →
 * `<prefix>index/<provider>/<account>/<YYYY-MM-DD>/` (or `…/undated/`). Null for a key
 * outside the recordings of this prefix.
 */
export function bundleFolderOf(prefix: string, mediaKey: string): string | null {
  const root = `${prefix}recordings/`;
  if (!mediaKey.startsWith(root)) return null;
  const parts = mediaKey.slice(root.length).split('/');
  const [provider, account] = parts;
  if (!provider || !account) return null;
  const day = parts[2] === 'undated' ? 'undated' : parts.slice(2, 5).join('-');
  if (day !== 'undated' && !/^\d{4}-\d\d-\d\d$/.test(day)) return null;
  return `${bundlesPrefix(prefix)}${provider}/${account}/${day}/`;
}

/**
 * One bundle's key: its folder, the batch's time and the start of its own SHA-256, so two
 * officers (or two batches) bundling the same day never write the same key twice: every
 * bundle is a new, immutable object, and attach de-duplicates recordings across them.
 */
export function bundleKey(folder: string, batchTime: Date, sha256: string): string {
  const stamp = batchTime.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${folder}${stamp}-${sha256.slice(0, 16)}.jsonl.gz`;
}
