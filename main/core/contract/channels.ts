// Channel names only (no zod, no types): the sandboxed preload bundles this file alone.

/**
 * Channels only the command line needs. An engine serves them only when opened with
 * `commandLineChannels` (the CLI); the app and the bridge are refused them, so the renderer can
 * never point an account at an environment variable of the app's process.
 */
export const COMMAND_LINE_CHANNELS = [
  'accountByName',
  'accountsAddWithEnvSecret',
  'accountsUpdateWithEnvSecret',
  'recordingIdsByRemoteId',
  'jobWait',
  'exportWait',
  'reindex',
  // A new signing key file is made only when the command line asks (recvault key init).
  'signingKeyCreate',
  // A vault's keys from environment variables of this process: the command line only.
  'vaultAddWithEnvKeys',
  'schedulePrint',
] as const;

export const REQUEST_CHANNELS = [
  'appInfo',
  'accountsList',
  'accountsAdd',
  'accountsUpdate',
  'accountsRemove',
  'accountsTest',
  'idsParse',
  'syncStart',
  'jobsList',
  'jobItems',
  'jobPause',
  'jobResume',
  'jobCancel',
  'jobRetryFailed',
  'librarySearch',
  'recordingGet',
  'recordingUpdate',
  'recordingsTag',
  'libraryTags',
  'recordingsRetry',
  'recordingMedia',
  'recordingPeaks',
  'recordingCustody',
  'recordingShowInFolder',
  'exportStart',
  'exportCancel',
  'exportsList',
  'exportPlan',
  'exportDetail',
  'exportRetry',
  'exportCheck',
  'settingsGet',
  'settingsUpdate',
  'pickDirectory',
  'pickSaveFile',
  'showInFolder',
  'dragPrepare',
  'verifyArchive',
  'verifyAudit',
  'custodyStatus',
  'custodySettingsUpdate',
  'checkpointCreate',
  'timestampsRetry',
  'checkpointCovering',
  'exportVerify',
  'holdsList',
  'holdCreate',
  'holdAdd',
  'holdRelease',
  'retentionList',
  'retentionSet',
  'disposalPreview',
  'disposalConfirm',
  'schedulesList',
  'scheduleSet',
  'scheduleRemove',
  'scheduleRunNow',
  'complianceReport',
  'overview',
  'vaultStatus',
  'vaultAdd',
  'vaultTest',
  'vaultSync',
  'vaultVerify',
  'vaultCheckpoints',
  'vaultFetch',
  ...COMMAND_LINE_CHANNELS,
] as const;

export const EVENT_CHANNELS = [
  'jobProgress',
  'exportProgress',
  'libraryChanged',
  'accountsChanged',
  'verifyProgress',
  'verifyFinished',
  'archiveMoveProgress',
  'scheduleRun',
  'vaultChanged',
] as const;

/** Fire-and-forget messages (no reply): a drag must start synchronously inside `dragstart`. */
export const SEND_CHANNELS = ['startDrag'] as const;

export type RequestChannel = (typeof REQUEST_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];
export type SendChannel = (typeof SEND_CHANNELS)[number];

/** The Electron IPC channel string for a request, an event or a send. */
export function ipcChannelName(name: RequestChannel | EventChannel | SendChannel): string {
  return `recvault:${name}`;
}

export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && (REQUEST_CHANNELS as readonly string[]).includes(name);
}

/** `jobProgress` → `onJobProgress`: the subscription's name on the API object. */
export function subscriptionName<E extends EventChannel>(name: E): `on${Capitalize<E>}` {
  return `on${name.charAt(0).toUpperCase()}${name.slice(1)}` as `on${Capitalize<E>}`;
}
