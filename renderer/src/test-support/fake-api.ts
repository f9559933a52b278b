import { vi, type Mock } from 'vitest';
import type { RecvaultApi } from '../../../main/core/contract/api.ts';
import { EVENT_CHANNELS, REQUEST_CHANNELS } from '../../../main/core/contract/channels.ts';
import type { EventPayloads } from '../../../main/core/contract/events.ts';
import type { AppInfo, SettingsView } from '../../../main/core/contract/types.ts';
import { LIBRARY_COLUMNS_DEFAULT } from '../../../main/core/contract/vocabulary.ts';

type Requests = { [K in (typeof REQUEST_CHANNELS)[number]]: Mock<RecvaultApi[K]> };

export type FakeApi = RecvaultApi &
  Requests & {
    startDrag: Mock<(ids: number[]) => void>;
    /** Pushes an event to the renderer's subscribers, as the engine would. */
    emit<E extends keyof EventPayloads>(event: E, payload: EventPayloads[E]): void;
    listenerCount(event: keyof EventPayloads): number;
  };

export const APP_INFO: AppInfo = {
  name: 'Recvault',
  version: '9.8.7',
  dataDir: '/d',
  archiveDir: '/d/archive',
  transport: 'bridge',
  nativeDialogs: false,
  secretStorage: { encrypted: true, reason: null },
};

export const SETTINGS: SettingsView = {
  archiveDir: '/d/archive',
  concurrency: 4,
  dragFormat: 'original',
  theme: 'system',
  timeZone: null,
  libraryColumns: LIBRARY_COLUMNS_DEFAULT,
};

/** Every channel as a vi.fn answering an empty success; tests override what they need. */
export function createFakeApi(): FakeApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const api: Record<string, unknown> = {};
  for (const channel of REQUEST_CHANNELS) {
    api[channel] = vi.fn(async () => ({ ok: true, value: defaultValue(channel) }));
  }
  for (const event of EVENT_CHANNELS) {
    const name = `on${event[0]!.toUpperCase()}${event.slice(1)}`;
    api[name] = (listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    };
  }
  api.startDrag = vi.fn();
  api.emit = (event: string, payload: unknown) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
  api.listenerCount = (event: string) => listeners.get(event)?.size ?? 0;
  return api as FakeApi;
}

function defaultValue(channel: string): unknown {
  switch (channel) {
    case 'appInfo':
      return APP_INFO;
    case 'settingsGet':
    case 'settingsUpdate':
      return SETTINGS;
    case 'librarySearch':
      return { rows: [], nextCursor: null, total: 0 };
    case 'idsParse':
      return { rows: [], errors: [] };
    case 'accountsList':
    case 'jobsList':
    case 'jobItems':
    case 'exportsList':
    case 'holdsList':
    case 'retentionList':
    case 'schedulesList':
      return [];
    case 'pickDirectory':
    case 'pickSaveFile':
      return { path: null };
    case 'exportPlan':
      return {
        selected: 0,
        archived: 0,
        notArchived: 0,
        files: 0,
        split: 0,
        byExtension: {},
        sampleNames: [],
      };
    case 'overview': {
      const none = { count: 0, capped: false };
      return {
        counts: {
          atRisk7: none,
          atRisk30: none,
          failed: none,
          waiting: none,
          deletedBeforeArchived: none,
          integrityFailed: none,
        },
        accounts: [],
        lastVerify: null,
      };
    }
    case 'recordingCustody':
      return {
        recordingId: 0,
        filePath: null,
        fileExists: false,
        canShowInFolder: false,
        exports: [],
      };
    case 'custodyStatus':
      return {
        key: null,
        settings: { tsaUrl: null, tsaCaFile: null, verifyEveryDays: 7 },
        lastCheckpoint: null,
        lastCheckpointError: null,
        lastVerifyAt: null,
        nextScheduledVerifyAt: null,
      };
    default:
      return {};
  }
}

/** A promise whose resolution the test controls, to answer requests out of order. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
