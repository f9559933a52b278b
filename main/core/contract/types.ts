/** Plain data shapes that cross the contract. No functions, no class instances. */

export interface AppInfo {
  name: string;
  version: string;
  dataDir: string;
  archiveDir: string;
  /** Which transport this renderer is talking through. */
  transport: 'electron' | 'bridge';
}

export interface JobProgress {
  jobId: number;
  state: string;
}
