// What the bag writer needs from the checkpoint module: a fresh signed checkpoint, as the files
// a recipient receives (custody/checkpoint.ts's StoredCheckpoint). A narrow port, so the writer
// depends on the bytes that leave the laptop, not on how checkpoints are made or stored.
import type { StoredCheckpoint } from '../checkpoint.ts';

export type CheckpointFiles = Pick<
  StoredCheckpoint,
  'checkpoint' | 'bytes' | 'signature' | 'tsr' | 'publicKeyPem'
>;

export interface CheckpointSource {
  /** Makes (signs, and timestamps when configured) a checkpoint of the current audit head. */
  checkpointNow(reason: 'export'): Promise<CheckpointFiles>;
  /** Throws the clear "no signing key" error before an export converts anything. */
  assertCanSign?(): void;
}
