import type { RecordingDetail } from '../../../main/core/contract/types.ts';
import { call, describeFailure } from '../lib/failure.ts';
import { parseTags } from './tags.ts';
import type { ApiOf } from './types.ts';

/** The selected recording's metadata, audit history, and its editable notes and tags. */
export class RecordingDetailState {
  detail = $state.raw<RecordingDetail | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  saving = $state(false);
  saveError = $state<string | null>(null);
  savedAt = $state<number | null>(null);

  private generation = 0;

  constructor(private readonly api: ApiOf<'recordingGet' | 'recordingUpdate'>) {}

  async load(id: number | null): Promise<void> {
    const generation = ++this.generation;
    this.error = this.saveError = null;
    this.savedAt = null;
    if (id === null) {
      this.detail = null;
      return;
    }
    if (this.detail?.id !== id) this.detail = null;
    this.loading = true;
    const result = await call(() => this.api.recordingGet({ id }));
    if (generation !== this.generation) return;
    this.loading = false;
    if (result.ok) this.detail = result.value;
    else this.error = describeFailure(result);
  }

  async save(notes: string, tagsText: string): Promise<boolean> {
    const detail = this.detail;
    if (!detail) return false;
    this.saving = true;
    this.saveError = null;
    const result = await call(() =>
      this.api.recordingUpdate({ id: detail.id, notes, tags: parseTags(tagsText) }),
    );
    this.saving = false;
    if (!result.ok) {
      this.saveError = describeFailure(result);
      return false;
    }
    if (this.detail?.id === detail.id) this.detail = result.value;
    this.savedAt = Date.now();
    return true;
  }
}
