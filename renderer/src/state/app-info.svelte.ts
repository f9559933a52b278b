import type { AppInfo } from '../../../main/core/contract/types.ts';
import { call, describeFailure } from '../lib/failure.ts';
import type { ApiOf } from './types.ts';

/** What the engine says about itself; the shell waits for it before showing any screen. */
export class AppInfoState {
  info = $state.raw<AppInfo | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);

  constructor(private readonly api: ApiOf<'appInfo'>) {}

  /** Whether to offer native pickers; the browser bridge asks for typed paths instead. */
  get nativeDialogs(): boolean {
    return this.info?.nativeDialogs ?? false;
  }

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    const result = await call(() => this.api.appInfo({}));
    this.loading = false;
    if (result.ok) this.info = result.value;
    else this.error = describeFailure(result);
  }
}
