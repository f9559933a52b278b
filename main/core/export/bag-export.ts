// An export packaged as a BagIt bag: the conversion engine writes into the bag's data/, then a
// fresh checkpoint is made (so it covers every audit entry about the exported recordings) and
// the custody/ tag files and manifests are written around it. For a zip the bag is built in a
// staging folder beside the zip and zipped as one top-level folder.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../app-error.ts';
import type { BagDetails } from '../contract/export-verification.ts';
import type { DestinationSpec, ExportSummary } from '../convert/index.ts';
import type { CheckpointSource } from '../custody/bag/checkpoint-port.ts';
import { auditExcerpt, custodyRecords } from '../custody/bag/custody-records.ts';
import {
  BAG_INFO_TXT,
  BAGIT_TXT,
  MANIFEST,
  PAYLOAD_DIR,
  TAG_MANIFEST,
} from '../custody/bag/bag-names.ts';
import { writeBagTags, type BagWritten } from '../custody/bag/write-bag.ts';
import { zipBag } from '../custody/bag/zip-bag.ts';
import type { Db } from '../db/sqlite.ts';
import { APP_NAME, APP_VERSION } from '../version.ts';

const BAG_ENTRIES = [PAYLOAD_DIR, 'custody', BAGIT_TXT, BAG_INFO_TXT, MANIFEST, TAG_MANIFEST];

export interface BagPlan {
  destination: DestinationSpec;
  /** The bag's folder (for a zip, inside the staging folder). */
  root: string;
  /** Where the conversion engine writes: root/data. */
  payload: DestinationSpec;
  /** What to remove if the export fails: the staging folder, or the bag folder it created. */
  cleanup: string;
  /** The bag folder existed (empty): on failure empty it again rather than remove it. */
  keepFolder: boolean;
}

export type BagSummary = ExportSummary & { bag: BagDetails };

/** Checks the destination is free and lays out where the payload goes; throws before any write. */
export function planBag(destination: DestinationSpec): BagPlan {
  if (destination.kind === 'folder') {
    const root = destination.path;
    const existing = fs.existsSync(root) ? fs.readdirSync(root) : null;
    if (existing && existing.length > 0) {
      throw new AppError('conflict', `A bag needs an empty or new folder: ${root} is not empty.`);
    }
    return {
      destination,
      root,
      payload: { kind: 'folder', path: path.join(root, PAYLOAD_DIR) },
      cleanup: root,
      keepFolder: existing !== null,
    };
  }
  if (fs.existsSync(destination.path)) {
    throw new AppError('conflict', `Export refused: ${destination.path} already exists.`);
  }
  const parent = path.dirname(destination.path);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(destination.path)}.bag-`));
  const root = path.join(staging, path.basename(destination.path).replace(/\.zip$/i, '') || 'bag');
  return {
    destination,
    root,
    payload: { kind: 'folder', path: path.join(root, PAYLOAD_DIR) },
    cleanup: staging,
    keepFolder: false,
  };
}

export async function finishBag(
  plan: BagPlan,
  summary: ExportSummary,
  deps: { db: Db; checkpoints: CheckpointSource; organization: string; signal: AbortSignal },
): Promise<BagSummary> {
  const { db, signal } = deps;
  signal.throwIfAborted();
  const checkpoint = await deps.checkpoints.checkpointNow('export');
  const headSeq = checkpoint.checkpoint.audit.headSeq;
  const records = custodyRecords(db, summary.outputs, checkpoint.checkpoint);
  const written: BagWritten = await writeBagTags(
    plan.root,
    {
      records,
      auditEntries: auditExcerpt(db, records, headSeq),
      checkpoint,
      organization: deps.organization || null,
      software: `${APP_NAME} ${APP_VERSION}`,
      externalId: summary.exportId,
      baggingDate: new Date(summary.startedAt),
    },
    signal,
  );
  let zipSha256: string | null = null;
  if (plan.destination.kind === 'zip') {
    zipSha256 = (
      await zipBag(plan.root, plan.destination.path, new Date(summary.startedAt), signal)
    ).zipSha256;
    await fs.promises.rm(plan.cleanup, { recursive: true, force: true });
  }
  return {
    ...summary,
    destination: plan.destination,
    manifestPath: plan.destination.kind === 'zip' ? plan.destination.path : plan.root,
    zipSha256,
    bag: {
      ...written,
      checkpointSeq: checkpoint.checkpoint.seq,
      auditHeadSeq: headSeq,
      timestamped: checkpoint.tsr !== null,
    },
  };
}

/** Removes what a failed or cancelled bag export wrote. */
export async function abandonBag(plan: BagPlan): Promise<void> {
  // Only the bag's own names: anything else that appeared in the folder meanwhile stays.
  const targets = plan.keepFolder
    ? BAG_ENTRIES.map((name) => path.join(plan.cleanup, name))
    : [plan.cleanup];
  for (const target of targets) {
    await fs.promises.rm(target, { recursive: true, force: true }).catch(() => {});
  }
}
