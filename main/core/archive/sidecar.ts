// `<final>.json` beside each archived file: everything needed to rebuild the index from the
// files alone. Written atomically, after the media file is in place. Never holds a secret: the
// account is id + display name only, and the provider's raw JSON goes through redactSecrets.
import { readFile, stat } from 'node:fs/promises';
import * as z from 'zod';
import { providerSchema } from '../contract/vocabulary.ts';
import { remoteRecordingSchema } from '../providers/types.ts';
import type { RemoteRecording } from '../providers/types.ts';
import { ArchiveError } from './errors.ts';
import { writeFileAtomic } from './fs-util.ts';
import { resolveInsideArchive } from './inside-archive.ts';
import { redactSecrets } from './redact.ts';

export const SIDECAR_SCHEMA_VERSION = 1;
export const SIDECAR_SUFFIX = '.json';

export const sidecarSchema = z.object({
  schemaVersion: z.literal(SIDECAR_SCHEMA_VERSION),
  provider: providerSchema,
  account: z.object({ id: z.string().min(1), name: z.string() }),
  recording: remoteRecordingSchema,
  file: z.object({
    relativePath: z.string().min(1),
    size: z.int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    contentType: z.string().nullable(),
  }),
  archivedAt: z.iso.datetime({ offset: true }),
  recorder: z.object({ app: z.literal('Recvault'), version: z.string().min(1) }),
});
export type Sidecar = z.infer<typeof sidecarSchema>;

export interface SidecarInput {
  /** The account's index id and display name; never its credentials. */
  account: { id: string; name: string };
  recording: RemoteRecording;
  /** What downloadToArchive returned. */
  file: { relativePath: string; size: number; sha256: string; contentType: string | null };
  /** ISO 8601; defaults to now. */
  archivedAt?: string;
  /** The app's version (package.json / app.getVersion()). */
  recorderVersion: string;
}

export function sidecarPathFor(mediaRelativePath: string): string {
  return mediaRelativePath + SIDECAR_SUFFIX;
}

/** Builds the sidecar object (validated, raw JSON redacted) without writing it. */
export function buildSidecar(input: SidecarInput): Sidecar {
  const recording = { ...input.recording, raw: redactSecrets(input.recording.raw) };
  return sidecarSchema.parse({
    schemaVersion: SIDECAR_SCHEMA_VERSION,
    provider: input.recording.provider,
    account: { id: input.account.id, name: input.account.name },
    recording,
    file: {
      relativePath: input.file.relativePath,
      size: input.file.size,
      sha256: input.file.sha256,
      contentType: input.file.contentType,
    },
    archivedAt: input.archivedAt ?? new Date().toISOString(),
    recorder: { app: 'Recvault', version: input.recorderVersion },
  });
}

/** The sidecar's relative path and text, for `downloadToArchive`'s `companions`. */
export function sidecarCompanion(input: SidecarInput): { relativePath: string; data: string } {
  const sidecar = buildSidecar(input);
  return {
    relativePath: sidecarPathFor(sidecar.file.relativePath),
    data: JSON.stringify(sidecar, null, 2) + '\n',
  };
}

/**
 * Writes `<media>.json` atomically (temp + fsync + rename + folder fsync). Call after
 * downloadToArchive: refuses when the media file is missing or its size differs.
 * Returns the sidecar's relative path and content.
 */
export async function writeSidecar(
  archiveRoot: string,
  input: SidecarInput,
): Promise<{ relativePath: string; sidecar: Sidecar }> {
  const sidecar = buildSidecar(input);
  const media = await resolveInsideArchive(archiveRoot, sidecar.file.relativePath);
  const mediaStat = await stat(media).catch(() => null);
  if (mediaStat === null || !mediaStat.isFile() || mediaStat.size !== sidecar.file.size) {
    throw new ArchiveError({
      kind: 'integrity',
      message: 'Refused to write a sidecar for a media file that is missing or of another size',
      relativePath: sidecar.file.relativePath,
    });
  }
  const relativePath = sidecarPathFor(sidecar.file.relativePath);
  const target = await resolveInsideArchive(archiveRoot, relativePath);
  await writeFileAtomic(target, JSON.stringify(sidecar, null, 2) + '\n');
  return { relativePath, sidecar };
}

export type SidecarRead =
  | { ok: true; sidecar: Sidecar }
  | {
      ok: false;
      problem: 'unreadable' | 'not_json' | 'newer_version' | 'invalid';
      message: string;
    };

/** Parses sidecar text (from readFile) into a result; never throws. */
export function parseSidecar(text: string): SidecarRead {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: 'not_json', message: (err as Error).message };
  }
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > SIDECAR_SCHEMA_VERSION) {
    return {
      ok: false,
      problem: 'newer_version',
      message: `Sidecar schema ${version} is newer than this app understands (${SIDECAR_SCHEMA_VERSION})`,
    };
  }
  const parsed = sidecarSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, problem: 'invalid', message: z.prettifyError(parsed.error) };
  }
  if (parsed.data.recording.provider !== parsed.data.provider) {
    return { ok: false, problem: 'invalid', message: 'recording.provider differs from provider' };
  }
  return { ok: true, sidecar: parsed.data };
}

/** Reads and validates one sidecar by absolute path; never throws. */
export async function readSidecarFile(absolutePath: string): Promise<SidecarRead> {
  let text: string;
  try {
    text = await readFile(absolutePath, 'utf8');
  } catch (err) {
    return { ok: false, problem: 'unreadable', message: (err as Error).message };
  }
  return parseSidecar(text);
}
