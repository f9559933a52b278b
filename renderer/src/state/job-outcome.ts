// The job's state in the user's words lives beside the contract: the app's system notifications
// (main/app) say the same as the Sync screen.
export * from '../../../main/core/contract/job-outcome.ts';
