import type { RecvaultApi } from '../../../main/core/contract/api.ts';
import { AccountsState } from './accounts.svelte.ts';
import { AppInfoState } from './app-info.svelte.ts';
import { ExportsState } from './exports.svelte.ts';
import { IdImport } from './id-import.svelte.ts';
import { JobsState } from './jobs.svelte.ts';
import { LibraryState } from './library.svelte.ts';
import { Navigation } from './navigation.svelte.ts';
import { Notices } from './notices.svelte.ts';
import { OverviewState } from './overview.svelte.ts';
import { PlayerState } from './player.svelte.ts';
import { RecordingDetailState } from './recording-detail.svelte.ts';
import { Selection } from './selection.svelte.ts';
import { SettingsState } from './settings.svelte.ts';

/** Every piece of app state, made once by the App and handed down to the screens. */
export function createStores(api: RecvaultApi) {
  const nav = new Navigation();
  return {
    api,
    appInfo: new AppInfoState(api),
    nav,
    notices: new Notices(api, nav),
    settings: new SettingsState(api),
    accounts: new AccountsState(api),
    idImport: new IdImport(api),
    jobs: new JobsState(api),
    library: new LibraryState(api),
    selection: new Selection(),
    player: new PlayerState(api),
    detail: new RecordingDetailState(api),
    exports: new ExportsState(api),
    overview: new OverviewState(api),
  };
}

export type Stores = ReturnType<typeof createStores>;

/** Loads what every screen needs and subscribes to the engine's events; returns the cleanup. */
export function startStores(stores: Stores): () => void {
  const stops = [
    stores.accounts.connect(),
    stores.jobs.connect(),
    stores.library.connect(),
    stores.exports.connect(),
    stores.overview.connect(),
    stores.notices.connect(),
  ];

  void stores.settings.load();
  void stores.accounts.load();
  void stores.jobs.load();
  const firstPage = stores.library.reload();
  // The overview's counts (six searches; its screen reads them when shown) wait for the
  // library's first page, so a large archive shows its rows as fast as before.
  if (stores.nav.current !== 'overview') void firstPage.then(() => stores.overview.load());
  void stores.exports.load();
  return () => stops.forEach((stop) => stop());
}
