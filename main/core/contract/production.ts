// What a production (load files, control numbers, the sec-audio profile) adds to an export's
// summary and its audit entry.
export type ProductionDetails = {
  controlPrefix: string;
  firstControl: string;
  lastControl: string;
  /** Control number → the produced file's name. */
  controls: Record<string, string>;
  /** The load files written, with their SHA-256 (the audit entry records them). */
  files: { name: string; sha256: string; bytes: number }[];
  /** How many produced recordings are on a live legal hold (0 when this index has no holds). */
  heldRecordings: number;
};
