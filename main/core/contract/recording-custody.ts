// The custody panel's facts about one recording that the detail does not carry: where its
// file is on this computer, and which exports included it.
import type { ExportState } from './vocabulary.ts';

export interface RecordingExportView {
  exportId: number;
  createdAt: string;
  finishedAt: string | null;
  state: ExportState;
  /** Where the export was written, as the user chose it. */
  destination: string;
  /** `folder` or `zip`; null for an export too old to say. */
  kind: string | null;
  /** The options' format (`original`, `mp3`, …); null when unknown. */
  format: string | null;
  /** The files written for this recording (two for split channels). */
  fileNames: string[];
}

export interface RecordingCustodyView {
  recordingId: number;
  /** The archived file's absolute path on this computer; null while not archived. */
  filePath: string | null;
  /** Whether that file is there now (false: moved, deleted or the archive drive is away). */
  fileExists: boolean;
  /** Whether "Show in folder" can open the file manager here (the desktop app only). */
  canShowInFolder: boolean;
  exports: RecordingExportView[];
}
